"""The findings of every check, those on the words included, reach the reports.

Sample 002 (平乡县总工会) prints “…提高资金使用效益的意见意见；…” on line 1555: the
department report and its workbook show that finding with the others.
"""
from __future__ import annotations

import shutil

import openpyxl

from budgetlib.batch.pipeline import check_to
from budgetlib.batch.runner import run_reports


def test_a_wording_finding_is_in_the_report_and_the_workbook(processed, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(processed, data)
    check_to(data)
    out = tmp_path / "reports"
    summary = run_reports(data, out, department="平乡县总工会", progress=False)
    assert not summary.failures, summary.describe()
    (html,) = (out / "departments").glob("平乡县总工会-*.html")
    page = html.read_text(encoding="utf-8")
    assert "重复的词语“意见意见”" in page and "第1555行" in page
    (workbook,) = (out / "departments").glob("平乡县总工会-*.xlsx")
    sheet = openpyxl.load_workbook(workbook, read_only=True)["审核发现"]
    cells = [str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None]
    assert any("意见意见" in c for c in cells)
