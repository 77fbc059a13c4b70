"""Reports: one consistent set per run (kills, concurrent runs), and collision-free names."""
from __future__ import annotations

import html
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from budgetlib.batch.pipeline import parse_to
from budgetlib.batch.runner import run_reports
from budgetlib.faults import ENV as FAULT_ENV
from budgetlib.reports.naming import MAX_STEM_BYTES, report_stem, safe_stem, with_ext
from budgetlib.store import generations
from conftest import ROOT, seed_path

FIRST, SECOND = "秦皇岛经济技术开发区总工会", "平乡县总工会"


def _report(data: Path, out: Path, department: str, fault: str | None = None, wait: float = 600) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BUDGETLIB_LOCK_WAIT": str(wait)}
    env.pop(FAULT_ENV, None)
    if fault:
        env[FAULT_ENV] = fault
    cmd = [sys.executable, "-m", "budgetlib", "report", "--data", str(data), "--out", str(out), "--department", department, "--quiet", "--workers", "1"]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, str]:
    out, err = process.communicate(timeout=600)
    return process.returncode, out + err


def linked(out: Path) -> list[Path]:
    """Every file index.html links, each checked to exist; the visible report set."""
    index = (out / "index.html").read_text(encoding="utf-8")
    files = [out / unquote(html.unescape(href)) for href in re.findall(r'href="([^"#:]+)"', index)]
    missing = [f for f in files if not f.is_file()]
    assert not missing, missing
    return sorted(files)


def visible(out: Path) -> dict[str, bytes]:
    """What a reader of the folder sees, through its links."""
    paths = [out / "index.html", *out.glob("comparison.*"), *(out / "departments").iterdir()]
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in paths if p.is_file()}


@pytest.mark.parametrize("step", ["report:index", "report:swap", "report:links"])
def test_a_report_killed_at_each_step_leaves_one_set(processed, tmp_path, step):
    out = tmp_path / "reports"
    assert _finish(_report(processed, out, FIRST))[0] == 0
    before = visible(out)
    code, text = _finish(_report(processed, out, SECOND, fault=f"{step}=kill"))
    assert code == -signal.SIGKILL, text
    after = visible(out)
    linked(out)
    if step == "report:links":  # past the swap: the new set, with the first department carried over
        assert set(before) < set(after) and any(SECOND in name for name in after)
    else:
        assert after == before
    assert _finish(_report(processed, out, SECOND))[0] == 0
    linked(out)
    # The first department's reports are carried into each new set (this run's index lists its own).
    assert {k for k in before if k.startswith("departments/")} <= set(visible(out))
    assert not [p for p in out.rglob("*") if p.name.endswith((".tmp", ".running.ipynb"))]
    assert len(list((out / generations.GENERATIONS).iterdir())) <= 2


def test_a_report_killed_in_a_notebook_keeps_the_last_good_report(processed, tmp_path):
    out = tmp_path / "reports"
    assert _finish(_report(processed, out, FIRST))[0] == 0
    before = visible(out)
    # The worker dies after the HTML, before the notebook is moved into place: the run goes on.
    code, text = _finish(_report(processed, out, FIRST, fault="report:department=kill"))
    assert code == 1, text
    after = visible(out)
    linked(out)
    assert {k: v for k, v in after.items() if k != "index.html" and not k.startswith("comparison.")} == {
        k: v for k, v in before.items() if k != "index.html" and not k.startswith("comparison.")
    }
    assert "失败" in after["index.html"].decode("utf-8")


def test_two_report_runs_into_one_folder_take_turns(processed, tmp_path):
    out = tmp_path / "reports"
    runs = [_report(processed, out, FIRST), _report(processed, out, SECOND)]
    results = [_finish(p) for p in runs]
    assert [code for code, _ in results] == [0, 0], results
    assert not any("FileNotFoundError" in text for _, text in results)
    names = {p.name for p in (out / "departments").iterdir()}
    assert any(n.startswith(FIRST) and n.endswith(".html") for n in names)
    assert any(n.startswith(SECOND) and n.endswith(".html") for n in names)
    linked(out)


def test_a_second_report_run_says_who_holds_the_folder(processed, tmp_path):
    from budgetlib.store.lock import folder_lock

    out = tmp_path / "reports"
    with folder_lock(out):
        code, text = _finish(_report(processed, out, FIRST, wait=1))
    assert code == 1 and f"另一个 budgetlib 运行（进程 {os.getpid()}）正在写入" in text and "Traceback" not in text


def test_names_with_dots_each_get_their_report(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = seed_path("000").read_text(encoding="utf-8")
    for n, name in enumerate(["v1.2甲区总工会", "v1.3乙区总工会"]):
        (raw / f"dept{n}.txt").write_text(text.replace("715 秦皇岛经济技术开发区总工会", f"715 {name}"), encoding="utf-8")
    assert not parse_to([raw], tmp_path / "processed").failures
    summary = run_reports(tmp_path / "processed", tmp_path / "reports", progress=False, workers=1)
    assert not summary.failures, summary.describe()
    pages = {p.name for p in linked(tmp_path / "reports") if p.parent.name == "departments" and p.suffix == ".html"}
    assert len(pages) == 2 and {p.split("-")[0] for p in pages} == {"v1.2甲区总工会", "v1.3乙区总工会"}


def test_report_names_are_unique_and_keep_every_safe_character():
    assert with_ext(Path("d/v1.2甲区-k"), ".html") == Path("d/v1.2甲区-k.html")
    assert safe_stem("v1.2甲区总工会", "k") == "v1.2甲区总工会-k"
    assert safe_stem("v1.2甲区总工会", "a") != safe_stem("v1.3甲区总工会", "b")
    # Differ only in characters a file system forbids: the same readable part, told apart by the key.
    forbidden = ["a/b", "a:b", "a*b", "a?b", "a|b", 'a"b', "a<b", "a\\b"]
    stems = {safe_stem(name, f"k{i}") for i, name in enumerate(forbidden)}
    assert len(stems) == len(forbidden) and all(s.startswith("a_b-") for s in stems)
    # Longer than 200 bytes: cut at a character boundary, within what any file system takes.
    for long in ["名" * 100, "a" * 300, "v1." + "é" * 150]:
        stem = report_stem(long, "0123456789", [2023, 2024])
        assert len(stem.encode()) <= MAX_STEM_BYTES + 30 and stem.endswith("-2023_2024-0123456789")
        assert len(with_ext(Path(stem), ".failed.ipynb").name.encode()) + 20 <= 255
        stem.encode("utf-8").decode("utf-8")
    # One department, different years: different files.
    assert report_stem("甲", "k", [2023]) != report_stem("甲", "k", [2024]) != report_stem("甲", "k")
    assert report_stem("甲", "k") == safe_stem("甲", "k")
