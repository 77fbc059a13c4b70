"""The reports as users get them: HTML in a real browser, workbooks in LibreOffice."""
from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from decimal import Decimal
from pathlib import Path

import numpy as np
import openpyxl
import polars as pl
import pytest
from PIL import Image

from budgetlib.reports import comparison_report as C
from budgetlib.reports import department_report as D
from budgetlib.reports.parameters import parse_years
from budgetlib.errors import ReportError
from budgetlib.batch.runner import NOTEBOOKS, Job, execute_job, run_reports
from clients import libreoffice_recalculated, screenshot
from conftest import SEEDS

CENT = Decimal("0.01")


@pytest.fixture(scope="session")
def reports(processed, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    summary = run_reports(processed, out, progress=False)
    assert not summary.failures, summary.describe()
    return out


def _dept_file(reports: Path, name: str, suffix: str) -> Path:
    (path,) = (reports / "departments").glob(f"{name}-*{suffix}")
    return path


DEPARTMENTS = ["秦皇岛经济技术开发区总工会", "中共秦皇岛经济技术开发区工作委员会办公室", "平乡县总工会", "山海关区总工会", "承德高新技术产业开发区总工会"]


def test_every_report_is_written_with_its_audit_trail(reports):
    for name in DEPARTMENTS:
        for suffix in (".html", ".xlsx", ".ipynb"):
            assert _dept_file(reports, name, suffix).stat().st_size > 0
    for suffix in (".html", ".xlsx", ".ipynb"):
        assert (reports / f"comparison{suffix}").is_file()
    assert not list(reports.rglob(".*running*")), "temporary notebooks left behind"


def test_index_links_every_report(reports):
    index = (reports / "index.html").read_text(encoding="utf-8")
    links = re.findall(r'href="\./([^"]+)"', index)
    from urllib.parse import unquote

    targets = {unquote(link) for link in links}
    assert len(targets) == 2 * (len(DEPARTMENTS) + 1)
    for target in targets:
        assert (reports / target).is_file(), target
    for name in DEPARTMENTS:
        assert name in index


@pytest.mark.parametrize("name", DEPARTMENTS)
def test_html_shows_no_code_and_no_traceback(reports, name):
    page = _dept_file(reports, name, ".html").read_text(encoding="utf-8")
    body = page[page.index("<body"):]
    assert "open_department" not in body and "R.headline" not in body, "code is shown"
    assert "Traceback" not in body and "Error" not in re.sub(r"<[^>]+>", "", body).replace("ReportError", "")
    assert "jp-InputArea-editor" not in body and "highlight hl-ipython" not in body
    assert 'class="budgetlib-toc"' in body and "一、主要指标" in body
    # A chart of only blanks or zeros is replaced by a sentence saying so (山海关's 三公 are all 0).
    assert body.count('src="data:image/png;base64,') + body.count("不绘图") >= 4
    assert f"<h1>{name}" in body


def test_department_report_renders_in_chromium_with_charts(reports, tmp_path):
    png = screenshot(_dept_file(reports, "秦皇岛经济技术开发区总工会", ".html"), tmp_path / "dept.png", tmp_path, "1200,4000")
    image = Image.open(png).convert("RGB")
    # The bars are drawn in #2F5597 (basic expenditure) and #C55A11 (project expenditure).
    pixels = np.asarray(image, dtype=int)

    def count(rgb: tuple[int, int, int]) -> int:
        return int((np.abs(pixels - np.array(rgb)).max(axis=2) < 12).sum())

    blue, orange = count((0x2F, 0x55, 0x97)), count((0xC5, 0x5A, 0x11))
    assert blue > 5000 and orange > 500, (blue, orange)


def test_report_charts_have_no_missing_glyphs(processed):
    r = D.open_department("平乡县总工会", None, processed, processed / "unused")
    c = C.open_comparison(None, processed, processed / "unused")
    charts = [
        D.function_class_chart(r), D.structure_chart(r), D.three_public_chart(r), D.three_public_trend_chart(r),
        C.ranked_expenditure_chart(c), C.ranked_three_public_chart(c), C.share_distribution_chart(c),
        C.share_stack_chart(c), C.comparison_trend_chart(c), D.years_chart(r), C.department_trend_chart(c, "支出合计"),
    ]
    assert all(hasattr(chart, "png") for chart in charts)  # 平乡县总工会 has a figure for each
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for chart in charts:
            chart.png()
    assert not [w for w in caught if "Glyph" in str(w.message)]


def test_executed_notebooks_logged_no_missing_glyphs(reports):
    for nb in [*reports.rglob("*.ipynb")]:
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            for output in cell.get("outputs", []):
                assert output.get("output_type") != "error", nb
                assert "Glyph" not in "".join(output.get("text", "")), nb


def _sheet_rows(ws):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=4)]


def test_workbook_numbers_equal_the_processed_tables(reports, data):
    book = openpyxl.load_workbook(_dept_file(reports, "秦皇岛经济技术开发区总工会", ".xlsx"))
    doc = data.documents.filter(pl.col("source_file") == SEEDS["000"])["doc_id"].item()
    items = data.line_items.filter(pl.col("doc_id") == doc)
    checked = 0
    for sheet_name, table in [("支出总表", "expenditure"), ("一般公共预算财政拨款基本支出表", "gpb_basic_expenditure"), ("收支总表", "income_expense_summary")]:
        ws = book[sheet_name]
        assert ws.freeze_panes == "A4"
        assert ws["A2"].value == "单位：万元"
        headers = [c.value for c in ws[3]]
        from budgetlib.vocab.tables import TABLES_BY_KEY

        label_of = {c.label: c for c in TABLES_BY_KEY[table].columns}
        for row in _sheet_rows(ws):
            for header, value in zip(headers[1:], row[1:]):
                col = label_of[header]
                if col.kind != "amount":
                    continue
                hit = items.filter((pl.col("table") == table) & (pl.col("row_no") == row[0]) & (pl.col("col_no") == col.no))
                if value is None:
                    assert hit.is_empty()
                else:
                    assert Decimal(repr(value)).quantize(CENT) == hit["value"].item().quantize(CENT)
                    assert ws.cell(1, 1).number_format is not None
                    checked += 1
    assert checked == 45 + 57 + 9


def test_workbook_has_findings_and_notes_sheets(reports):
    book = openpyxl.load_workbook(_dept_file(reports, "平乡县总工会", ".xlsx"))
    assert "审核发现" in book.sheetnames and book.sheetnames[-1] == "说明"
    notes = {r[0]: r[1] for r in _sheet_rows(book["说明"])}
    assert notes["来源文件"] == SEEDS["002"]
    assert len(notes[f"{SEEDS['002']} 的 SHA-256"]) == 64


def test_workbooks_survive_libreoffice(reports, tmp_path):
    dept = _dept_file(reports, "平乡县总工会", ".xlsx")
    before = openpyxl.load_workbook(dept, data_only=True)
    (after_dept, after_cmp) = libreoffice_recalculated([dept, reports / "comparison.xlsx"], tmp_path)
    after = openpyxl.load_workbook(after_dept, data_only=True)
    assert before.sheetnames == after.sheetnames
    for name in before.sheetnames:
        for row_b, row_a in zip(before[name].iter_rows(values_only=True), after[name].iter_rows(values_only=True)):
            assert [v if not isinstance(v, float) else round(v, 2) for v in row_b] == [
                v if not isinstance(v, float) else round(v, 2) for v in row_a
            ], name
    # The function-class sheet's total row is a formula LibreOffice recalculated: Σ classes = 552.18.
    ws = after["支出功能分类"]
    total = [r for r in ws.iter_rows(values_only=True) if r[0] == "合计（各类之和）"][0]
    assert round(total[2], 2) == 552.18
    cmp = openpyxl.load_workbook(after_cmp, data_only=True)["部门比较"]
    names = [r[0] for r in cmp.iter_rows(min_row=4, values_only=True)]
    assert set(DEPARTMENTS) <= set(names)


def test_unknown_department_lists_the_valid_ones(processed):
    with pytest.raises(ReportError) as err:
        D.open_department("不存在的部门", None, processed, processed)
    for name in DEPARTMENTS:
        assert name in str(err.value)


@pytest.mark.parametrize("years", ["abc", [1800], "2023;2024"])
def test_bad_years_parameter(years):
    with pytest.raises(ReportError, match="年度参数无效"):
        parse_years(years)


def test_failing_report_is_named_and_keeps_its_log(processed, tmp_path):
    job = Job("department", "不存在的部门", "departments/x", {"department": "不存在的部门", "data_dir": str(processed), "output_dir": str(tmp_path), "years": []})
    result = execute_job(job, tmp_path)
    assert not result.ok and "找不到部门" in result.error
    assert (tmp_path / "departments" / "x.failed.ipynb").is_file()
    assert not (tmp_path / "departments" / "x.html").exists()


def test_parameters_are_typed_and_explained():
    proc = subprocess.run(
        [sys.executable, "-m", "papermill", "--help-notebook", str(NOTEBOOKS / "department.ipynb")],
        capture_output=True, text=True,
    )
    assert "department: str" in proc.stdout and "部门名称或编号" in proc.stdout
    assert "years: list" in proc.stdout


def test_department_trend_chart_is_the_departments_own(processed):
    r = D.open_department("平乡县总工会", None, processed, processed / "unused")
    (ax,) = D.three_public_trend_chart(r).figure.axes
    assert ax.get_title() == "“三公”经费合计的年度变化（万元）"
    # 2022 from the prose (derived: 0.16 unchanged, 第1528行), 2023 from the table.
    assert [tuple(line.get_xdata()) for line in ax.get_lines()] == [(2022, 2023)]
