"""Workbooks a finance office can print, checked where they are printed: LibreOffice's PDF export.

Every sheet is one page wide (landscape where wide), repeats its title, unit and column
headers on every page, and has a footer with the department, the sheet and 第 N 页，共 M 页.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest

from budgetlib.batch.pipeline import check_to
from budgetlib.reports import department_report as D
from budgetlib.reports.excel import HEADER_ROW, NOTES_SHEET, TITLE_ROW

DEPARTMENT = "平乡县总工会"


def _pdf(workbook: Path, tmp_path: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is missing: run scripts/install-system-deps.sh"
    out = tmp_path / "pdf"
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(out), str(workbook)],
        capture_output=True, text=True, timeout=300,
    )
    pdf = out / (workbook.stem + ".pdf")
    assert pdf.is_file(), result.stdout + result.stderr
    return pdf


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [p for p in text.split("\f") if p.strip()]


@pytest.fixture(scope="module")
def workbook(processed, tmp_path_factory) -> Path:
    check_to(processed)
    out = tmp_path_factory.mktemp("print")
    return D.department_workbook(D.open_department(DEPARTMENT, None, processed, out))


def test_every_page_is_one_sheet_wide_with_its_headers_and_footer(workbook, tmp_path):
    book = openpyxl.load_workbook(workbook)
    sheets = {}
    for ws in book.worksheets:
        headers = [c.value for c in ws[HEADER_ROW + 1] if c.value]
        sheets[ws.title] = (ws.cell(TITLE_ROW + 1, 1).value, headers, ws.max_row)
    pages = _pages(_pdf(workbook, tmp_path))
    # One page per sheet at least, and no more than one page per 20 printed rows of each sheet:
    # the 48 pages a workbook printed to when wide sheets were cut across pages are gone.
    bound = sum(max(1, -(-rows // 20)) for _, _, rows in sheets.values())
    assert len(sheets) <= len(pages) <= bound
    seen = set()
    for number, page in enumerate(pages, start=1):
        lines = [l.strip() for l in page.splitlines() if l.strip()]
        # The title row is printed first on every page, then the unit and the column headers.
        (name,) = [n for n, (title, _, _) in sheets.items() if title == lines[0]] or [None]
        assert name is not None, f"page {number} starts with {lines[0]!r}, not a sheet title"
        seen.add(name)
        _, headers, _ = sheets[name]
        flat = re.sub(r"\s+", "", page)
        assert all(re.sub(r"\s+", "", h) in flat for h in headers), f"page {number} ({name}) lacks a column header"
        assert re.search(rf"{DEPARTMENT}.*第 {number} 页，共 {len(pages)} 页", page), f"page {number} footer"
    assert seen == set(sheets)


def test_wide_sheets_print_landscape_and_the_notes_explain_the_workbook(workbook):
    book = openpyxl.load_workbook(workbook)
    findings = book["审核发现"]
    assert findings.page_setup.orientation == "landscape"
    # Fit to pages: one wide (fitToWidth absent means 1), as many tall as needed (0).
    assert findings.sheet_properties.pageSetUpPr.fitToPage and findings.page_setup.fitToWidth in (None, 1)
    assert findings.page_setup.fitToHeight == 0
    assert findings.print_title_rows == "$1:$3"
    notes = {r[0]: r[1] for r in book[NOTES_SHEET].iter_rows(min_row=HEADER_ROW + 2, values_only=True)}
    assert "如何阅读" in notes and "审核发现" in notes
    assert "budgetlib review import" in notes["审核发现"]
    assert notes["工作表“年度对比”"] == "主要指标的年度对比"
