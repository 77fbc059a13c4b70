"""Text inside documents never acts on the reader's browser, spreadsheet or file system."""
from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest

from budgetlib.reports.naming import safe_stem
from budgetlib.batch.pipeline import parse_to
from budgetlib.batch.runner import run_reports
from conftest import seed_path

EVIL_NAME = "<script>alert(1)</script>总工会"
EVIL_ITEM = "=HYPERLINK(\"http://x\",\"点我\")"


@pytest.fixture(scope="module")
def evil_reports(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("evil")
    raw = root / "raw"
    raw.mkdir()
    text = seed_path("000").read_text(encoding="utf-8")
    text = text.replace("715 秦皇岛经济技术开发区总工会", f"715 {EVIL_NAME}")
    text = text.replace("30217\t公务接待费", f"30217\t{EVIL_ITEM}")
    (raw / "evil.txt").write_text(text, encoding="utf-8")
    other = seed_path("002").read_text(encoding="utf-8").replace("711平乡县总工会", "711../../etc/passwd")
    (raw / "traversal.txt").write_text(other, encoding="utf-8")
    summary = parse_to([raw], root / "processed")
    assert not summary.failures, summary.describe()
    reports = run_reports(root / "processed", root / "reports", progress=False)
    assert not reports.failures, reports.describe()
    return root / "reports"


def test_department_name_is_escaped_in_html(evil_reports):
    # What a reader opens (the folder's links into its current generation).
    pages = [evil_reports / "index.html", evil_reports / "comparison.html", *(evil_reports / "departments").glob("*.html")]
    assert len(pages) == 4  # two departments, the comparison and the index
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "<script>alert(1)" not in text, page
    dept_page = next(p for p in (evil_reports / "departments").glob("*.html") if "script" in p.name)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;总工会" in dept_page.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;总工会" in (evil_reports / "index.html").read_text(encoding="utf-8")


def test_text_that_looks_like_a_formula_stays_text_in_excel(evil_reports):
    book_path = next(p for p in (evil_reports / "departments").glob("*.xlsx") if "script" in p.name)
    with zipfile.ZipFile(book_path) as archive:
        sheets = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "HYPERLINK" not in sheets, "the text became a formula"
    book = openpyxl.load_workbook(book_path)
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == EVIL_ITEM]
    assert cells and all(c.data_type == "s" for c in cells)


def test_file_names_stay_inside_the_output_folder(evil_reports):
    departments = (evil_reports / "departments").resolve()
    for path in evil_reports.rglob("*"):
        assert path.resolve().is_relative_to(evil_reports.resolve())
    names = [p.name for p in departments.iterdir()]
    assert any(n.startswith(".._.._etc_passwd") or n.startswith("etc_passwd") for n in names), names


@pytest.mark.parametrize("name", ["../x", "a/b\\c", "CON", "", "...", "a:b*c?d", "名" * 200])
def test_safe_stem(name):
    stem = safe_stem(name, "k1")
    assert "/" not in stem and "\\" not in stem and ":" not in stem and "*" not in stem and "?" not in stem
    assert not stem.startswith(".") and stem.endswith("-k1") and len(stem) <= 64


def test_notebook_parameters_are_data_not_code(processed, tmp_path):
    from budgetlib.batch.runner import Job, execute_job

    marker = tmp_path / "pwned"
    payload = f'"; open({str(marker)!r}, "w").write("x"); x = "'
    job = Job("department", "x", "departments/x", {"department": payload, "data_dir": str(processed), "output_dir": str(tmp_path), "years": []})
    result = execute_job(job, tmp_path)
    assert not result.ok and "找不到部门" in result.error
    assert not marker.exists()
