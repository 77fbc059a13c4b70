"""Benchmark: parsing published PDFs, against pdfium reading their characters, and against the old reader.

Run with ``python bench/pdf.py`` (``make bench`` runs it too). Everything is
measured in the same run, so the ratios hold on a loaded machine too:

* for each PDF: pages; the best of five full parses (pdfium reader, table
  recognition, every extractor); the floor, pdfium opening the file and reading
  every page's characters with their boxes (the least any reader of the text
  layer must do), and the parse's multiple of it (target: at most 2× on the
  33-page js_jcy_2019_dept_budget.pdf); and, when pdfplumber is installed (a
  development dependency), the same parse through the pdfplumber reader that
  budgetlib used before (tests/read/pdfplumber_reference.py) and the speed-up
  (target: all the PDFs together at least 5× faster, one process);
* the whole ``budgetlib parse`` command over the PDFs on 1 and 2 workers
  (starting Python, writing Parquet and DuckDB included).

Prints a table and writes ``bench/pdf_results.json``. The PDFs are the real
published documents of ``../shared/real/`` beside the project (third-party, not in
the repository), or those under the folders given as arguments.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from budgetlib.extract.document import parse_bytes  # noqa: E402
from budgetlib.read import pdf as pdf_reader  # noqa: E402

#: Real published documents beside the project (see tests/conftest.py).
SHARED_REAL = ROOT.parent / "shared" / "real"
RESULTS = ROOT / "bench" / "pdf_results.json"
#: The 33-page document the 2× target is about.
TARGET_PDF = "js_jcy_2019_dept_budget.pdf"


def best_of(fn, repeat: int = 5) -> tuple[float, float]:
    """The least wall time and the least CPU time of this process over ``repeat`` runs.

    On a machine shared with other work, the CPU time is the steadier measure of what
    the code costs (the wall time counts the waits for a core as well).
    """
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def floor(data: bytes) -> int:
    """pdfium's own character extraction: open, and every page's text and character boxes."""
    doc = pdfium.PdfDocument(data)
    count = 0
    try:
        for page in doc:
            textpage = page.get_textpage()
            textpage.get_text_range()
            for i in range(textpage.count_chars()):
                textpage.get_charbox(i, loose=True)
                count += 1
            textpage.close()
            page.close()
    finally:
        doc.close()
    return count


def parse(data: bytes, name: str) -> None:
    """A full parse of one document; a document that fails to parse is timed all the same."""
    try:
        parse_bytes(data, name)
    except Exception:  # noqa: BLE001 - some real documents fail on table mapping, today as before
        pass


def reference_reader():
    """The pdfplumber reader budgetlib had before, or None without pdfplumber."""
    try:
        import pdfplumber  # noqa: F401
    except ImportError:
        return None
    sys.path.insert(0, str(ROOT / "tests" / "read"))
    import pdfplumber_reference

    return pdfplumber_reference.read_pdf


def parse_before(data: bytes, name: str, read_pdf) -> None:
    current = pdf_reader.read_pdf
    pdf_reader.read_pdf = read_pdf
    try:
        parse(data, name)
    finally:
        pdf_reader.read_pdf = current


def command(paths: list[Path], workers: int) -> float:
    """Wall time of ``budgetlib parse PATHS --workers N`` in a fresh Python."""
    with tempfile.TemporaryDirectory() as out:
        cmd = [sys.executable, "-m", "budgetlib", "parse", *map(str, paths), "--out", out, "--workers", str(workers), "--quiet"]
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH", "")]))}
        start = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        return time.perf_counter() - start


def main(folders: list[str]) -> int:
    roots = [Path(f) for f in folders] or [SHARED_REAL]
    paths = sorted(p for root in roots for p in root.rglob("*.pdf"))
    if not paths:
        print(f"没有找到 PDF 文件：{', '.join(map(str, roots))}")
        return 1
    before_reader = reference_reader()
    print(f"负载（1/5/15 分钟）：{' / '.join(f'{v:.2f}' for v in os.getloadavg())}")
    rows = []
    for path in paths:
        data = path.read_bytes()
        doc = pdfium.PdfDocument(data)
        pages = len(doc)
        doc.close()
        t_parse, cpu_parse = best_of(lambda: parse(data, path.name))
        t_floor, cpu_floor = best_of(lambda: floor(data))
        row = {
            "file": path.name,
            "pages": pages,
            "parse_seconds": t_parse,
            "parse_seconds_per_page": t_parse / pages,
            "floor_pdfium_chars_seconds": t_floor,
            "parse_vs_floor": t_parse / t_floor,
            "parse_cpu_seconds": cpu_parse,
            "floor_cpu_seconds": cpu_floor,
            "parse_vs_floor_cpu": cpu_parse / cpu_floor,
        }
        if before_reader is not None:
            t_before, _ = best_of(lambda: parse_before(data, path.name, before_reader), repeat=1)
            row["pdfplumber_parse_seconds"] = t_before
            row["speedup_vs_pdfplumber"] = t_before / t_parse
        rows.append(row)
    print(f"{'file':<44}{'pages':>6}{'parse s':>9}{'s/page':>8}{'floor s':>9}{'×floor':>7}{'×(cpu)':>7}{'old s':>8}{'faster':>8}")
    for r in rows:
        old = f"{r['pdfplumber_parse_seconds']:>8.2f}{r['speedup_vs_pdfplumber']:>7.1f}×" if before_reader else ""
        print(
            f"{r['file'][-42:]:<44}{r['pages']:>6}{r['parse_seconds']:>9.3f}{r['parse_seconds_per_page']:>8.4f}"
            f"{r['floor_pdfium_chars_seconds']:>9.3f}{r['parse_vs_floor']:>7.2f}{r['parse_vs_floor_cpu']:>7.2f}{old}"
        )
    total = sum(r["parse_seconds"] for r in rows)
    summary = {"pdfs": len(rows), "pages": sum(r["pages"] for r in rows), "parse_seconds": total}
    line = f"合计 {len(rows)} 个PDF、{summary['pages']} 页：解析 {total:.2f} 秒"
    if before_reader is not None:
        before = sum(r["pdfplumber_parse_seconds"] for r in rows)
        summary.update(pdfplumber_parse_seconds=before, speedup_vs_pdfplumber=before / total)
        line += f"；旧读取器（pdfplumber）{before:.2f} 秒，快 {before / total:.1f} 倍（目标 ≥5 倍）"
    print(line)
    target = next((r for r in rows if r["file"] == TARGET_PDF), None)
    if target:
        print(
            f"{TARGET_PDF}（{target['pages']}页）：解析为 pdfium 读取字符用时的 {target['parse_vs_floor']:.2f} 倍"
            f"（CPU 时间 {target['parse_vs_floor_cpu']:.2f} 倍；目标 ≤2 倍）"
        )
    runs = {}
    for workers in (1, 2):
        runs[workers] = command(paths, workers)
        print(f"budgetlib parse（全部PDF，{workers} 个进程）：{runs[workers]:.2f} 秒")
    summary["command_seconds_by_workers"] = runs
    results = {
        "machine": {
            "python": platform.python_version(),
            "processor": platform.machine(),
            "cpus": os.cpu_count(),
            "load_average": os.getloadavg(),
        },
        "pdfs": rows,
        "summary": summary,
    }
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
