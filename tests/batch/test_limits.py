"""Limits per document: a document that hangs, eats memory or unpacks to gigabytes is a parse
error naming the limit, its worker is replaced, and the rest of the batch is written."""
from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile

import polars as pl
import pytest

import budgetlib
import hostile
from budgetlib.batch.limits import Limits, format_bytes, parse_size
from budgetlib.batch.pipeline import parse_to
from budgetlib.errors import ParseError
from budgetlib.faults import ENV as FAULT_ENV
from budgetlib.read import read_bytes
from conftest import ROOT, SEEDS, real_document, seed_path

MB = 1024**2
#: Small limits, so that each test is over in seconds; the defaults are tested by the CLI test.
QUICK = Limits(timeout=3, max_memory=400 * MB)


def _batch(tmp_path, *extra):
    """A folder with two good samples and the given hostile files."""
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for seed in ("000", "003"):
        shutil.copy2(seed_path(seed), raw / SEEDS[seed])
    for build in extra:
        build(raw)
    return raw


def _written(out) -> list[str]:
    return sorted(budgetlib.load(out, cache=False).documents["source_file"])


def _failures(summary) -> dict[str, str]:
    return {f.source_file: f.message for f in summary.failures}


def test_a_hanging_document_times_out_and_the_batch_goes_on(tmp_path, monkeypatch):
    raw = _batch(tmp_path, lambda d: shutil.copy2(seed_path("001"), d / "hangs.txt"))
    monkeypatch.setenv(FAULT_ENV, "parse:hangs.txt=sleep")
    started = time.monotonic()
    summary = parse_to([raw], tmp_path / "out", workers=2, limits=QUICK)
    # The hanging reader sleeps for an hour: the batch ends because the watchdog stops it.
    assert time.monotonic() - started < 120
    assert _failures(summary) == {"hangs.txt": QUICK.timeout_message()}
    assert "解析超过 3 秒的时间限制" in summary.describe()
    assert _written(tmp_path / "out") == sorted([SEEDS["000"], SEEDS["003"]])


def test_a_document_that_eats_memory_is_stopped_at_the_limit(tmp_path, monkeypatch):
    raw = _batch(tmp_path, lambda d: shutil.copy2(seed_path("001"), d / "hog.txt"))
    monkeypatch.setenv(FAULT_ENV, "parse:hog.txt=allocate")
    summary = parse_to([raw], tmp_path / "out", workers=1, limits=QUICK)
    assert _failures(summary) == {"hog.txt": QUICK.memory_message()}
    assert "超过 400 MB 内存限制" in QUICK.memory_message()
    assert _written(tmp_path / "out") == sorted([SEEDS["000"], SEEDS["003"]])


def test_a_worker_that_dies_is_replaced(tmp_path, monkeypatch):
    raw = _batch(tmp_path, lambda d: shutil.copy2(seed_path("001"), d / "dies.txt"))
    monkeypatch.setenv(FAULT_ENV, "parse:dies.txt=kill")
    summary = parse_to([raw], tmp_path / "out", workers=1, limits=QUICK)
    assert set(_failures(summary)) == {"dies.txt"}
    assert "异常退出" in _failures(summary)["dies.txt"]
    # The two documents after it in order (003, then 000 sorts first) are parsed by a new worker.
    assert _written(tmp_path / "out") == sorted([SEEDS["000"], SEEDS["003"]])


def test_office_and_pdf_bombs_are_parse_errors_naming_the_limit(tmp_path):
    raw = _batch(tmp_path, hostile.xlsx_far_cell, hostile.xlsx_inflating, hostile.docx_wide_span,
                 lambda d: hostile.pdf_inflating(d, megabytes=600))
    summary = parse_to([raw], tmp_path / "out", workers=2, limits=QUICK)
    failures = _failures(summary)
    assert set(failures) == {"far_cell.xlsx", "inflating.xlsx", "wide_span.docx", "inflating.pdf"}
    assert "XFD1048576" in failures["far_cell.xlsx"] and "限制" in failures["far_cell.xlsx"]
    assert "解压后有 300 MB，超过 256 MB 的限制" in failures["inflating.xlsx"]
    assert "跨 50000000 列" in failures["wide_span.docx"]
    # pdfium (native code) aborts when an allocation fails past the limit: the worker dies, and the
    # document is a parse error that names the limit as the likely cause.
    assert failures["inflating.pdf"] in (QUICK.memory_message(), QUICK.died_message(-6))
    assert _written(tmp_path / "out") == sorted([SEEDS["000"], SEEDS["003"]])


def _without_dimension(data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dest:
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = re.sub(rb"<dimension[^>]*/>", b"", body)
            dest.writestr(info, body)
    return out.getvalue()


def test_cell_references_are_checked_without_a_dimension(tmp_path):
    data = _without_dimension(hostile.xlsx_far_cell(tmp_path).read_bytes())
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    with pytest.raises(ParseError, match="XFD1048576.*1048576 行 × 16384 列"):
        read_bytes(data, "far.xlsx")


def test_an_ordinary_workbook_and_word_file_pass_the_checks(tmp_path):
    import docx
    import openpyxl

    book = openpyxl.Workbook()
    for r in range(1, 301):
        for c in range(1, 21):
            book.active.cell(r, c, r * c)
    book.active.merge_cells("A1:T1")
    book.save(tmp_path / "ok.xlsx")
    read_bytes((tmp_path / "ok.xlsx").read_bytes(), "ok.xlsx")
    document = docx.Document()
    document.add_table(rows=50, cols=12).cell(0, 0).merge(document.tables[0].cell(0, 11))
    document.save(tmp_path / "ok.docx")
    read_bytes((tmp_path / "ok.docx").read_bytes(), "ok.docx")


def test_limit_options_of_the_command_line(tmp_path):
    raw = _batch(tmp_path, lambda d: shutil.copy2(seed_path("001"), d / "hangs.txt"))
    env = {**os.environ, FAULT_ENV: "parse:hangs.txt=sleep", "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "budgetlib", "parse", str(raw), "--out", str(tmp_path / "out"), "--quiet"]
    done = subprocess.run([*cmd, "--timeout", "2", "--max-memory", "1.5G"], capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 1, done.stderr
    assert "失败 hangs.txt: 解析超过 2 秒的时间限制" in done.stdout
    assert "已解析 2 份文档，失败 1 份" in done.stdout
    bad = subprocess.run([*cmd, "--timeout", "0"], capture_output=True, text=True, env=env, timeout=60)
    assert bad.returncode == 2 and "--timeout" in bad.stderr


def test_sizes_are_read_and_named_the_same_way():
    assert parse_size("2G") == parse_size("2GB") == 2 * 1024**3
    assert parse_size("800M") == 800 * MB and parse_size("1024") == 1024
    assert format_bytes(2 * 1024**3) == "2 GB" and format_bytes(800 * MB) == "800 MB"
    with pytest.raises(ValueError):
        parse_size("-1G")
    assert "解析超过 60 秒的时间限制" in Limits().timeout_message()
    assert "超过 2 GB 内存限制" in Limits().memory_message()


def test_a_corrupted_real_pdf_never_stalls_the_batch(tmp_path):
    source = real_document("sh_pt_czj_2024_dept_final.pdf").read_bytes()
    raw = _batch(tmp_path)
    middle = len(source) // 2
    (raw / "zeroed.pdf").write_bytes(source[:middle] + bytes(4096) + source[middle + 4096:])
    limits = Limits(timeout=10, max_memory=1024 * MB)
    summary = parse_to([raw], tmp_path / "out", workers=2, limits=limits)
    # pdfminer spent minutes in decompress_corrupted on this file; pdfium reads what it can at
    # once. Either way the batch goes on: the file is read or named with its reason, never waited on.
    failures = _failures(summary)
    assert set(failures) <= {"zeroed.pdf"} and all(failures.values())
    written = sorted([SEEDS["000"], SEEDS["003"], *(() if failures else ("zeroed.pdf",))])
    assert _written(tmp_path / "out") == written


def test_repeated_rows_are_refused_naming_the_key(tmp_path):
    raw = _batch(tmp_path, hostile.repeated_rows)
    summary = parse_to([raw], tmp_path / "out", workers=1)
    message = _failures(summary)["repeated_rows.txt"]
    assert "数据表 line_items 中的键重复" in message and "row_no=1" in message and "col_no=" in message
    data = budgetlib.load(tmp_path / "out", cache=False)
    assert "repeated_rows.txt" not in set(data.documents["source_file"])
    keys = data.line_items.group_by(["doc_id", "table", "row_no", "col_no"]).len()
    assert keys["len"].max() == 1
    assert data.parse_errors.filter(pl.col("source_file") == "repeated_rows.txt").height == 1


def test_word_tables_are_limited_by_span_and_by_rows_times_the_widest_row(tmp_path):
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    from budgetlib.read.office_limits import MAX_GRID_CELLS, MAX_SPAN

    read_bytes(hostile.docx_wide_span(tmp_path, "at.docx", span=MAX_SPAN).read_bytes(), "at.docx")
    with pytest.raises(ParseError, match=f"跨 {MAX_SPAN + 1} 列"):
        read_bytes(hostile.docx_wide_span(tmp_path, "past.docx", span=MAX_SPAN + 1).read_bytes(), "past.docx")
    # One wide row makes every row of the table that wide (the grid reader pads them).
    document = docx.Document()
    table = document.add_table(rows=MAX_GRID_CELLS // 900 + 10, cols=2)
    span = OxmlElement("w:gridSpan")
    span.set(qn("w:val"), "900")
    table.cell(0, 0)._tc.get_or_add_tcPr().append(span)
    document.save(tmp_path / "tall.docx")
    with pytest.raises(ParseError, match="行 × 901 列，超过"):
        read_bytes((tmp_path / "tall.docx").read_bytes(), "tall.docx")
