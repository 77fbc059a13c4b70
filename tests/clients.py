"""The real clients the tests drive: headless Chromium and headless LibreOffice."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def chromium(*args: str, tmp_path: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    assert browser, "Chromium is missing: run scripts/install-system-deps.sh"
    profile = tmp_path / "chromium-profile"
    profile.mkdir(exist_ok=True)
    command = [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}", *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def screenshot(page: Path, png: Path, tmp_path: Path, size: str = "1200,3000") -> Path:
    result = chromium(f"--screenshot={png}", f"--window-size={size}", page.resolve().as_uri(), tmp_path=tmp_path)
    assert png.is_file(), result.stdout + result.stderr
    return png


def libreoffice_recalculated(sources: list[Path], tmp_path: Path) -> list[Path]:
    """Open the workbooks in headless LibreOffice, recalculating all formulas, and save as xlsx."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run scripts/install-system-deps.sh"
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    # Always recalculate OOXML files on load, so cached values are not trusted.
    (profile / "user" / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
        "</oor:items>\n",
        encoding="utf-8",
    )
    out = tmp_path / "lo-out"
    out.mkdir(exist_ok=True)
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), *map(str, sources)],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    converted = [out / source.name for source in sources]
    for path in converted:
        assert path.is_file(), f"LibreOffice wrote no {path.name}: {result.stdout}{result.stderr}"
    return converted
