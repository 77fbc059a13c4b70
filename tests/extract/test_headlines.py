"""The ``headlines`` table: printed where the scheme prints them, derived where it does not.

Expected values were read from the documents (pdftotext -layout and the page images).
"""
from __future__ import annotations

from decimal import Decimal as D

import polars as pl
import pytest

from budgetlib.batch.pipeline import parse_to
from conftest import SEEDS, real_document

JS_BUDGET = "js_jcy_2019_dept_budget.pdf"


@pytest.fixture(scope="module")
def jiangsu(tmp_path_factory) -> pl.DataFrame:
    out = tmp_path_factory.mktemp("headlines")
    parse_to([real_document(JS_BUDGET)], out)
    return pl.read_parquet(out / "headlines.parquet")


def _figures(headlines: pl.DataFrame, doc_id: str | None = None) -> dict[str, dict]:
    rows = headlines if doc_id is None else headlines.filter(pl.col("doc_id") == doc_id)
    return {r["figure"]: r for r in rows.to_dicts()}


def test_jiangsu_personnel_and_public_use_are_derived_from_the_economic_classes(jiangsu):
    """公开08表 prints one 金额 column: 301 工资福利支出 11,960.62, 302 商品和服务支出 2,391.92,
    303 对个人和家庭的补助 1,491.50 (no 310). 人员经费 = 301 + 303 = 13,452.12, which is also what
    the prose states (（一）人员经费 13,452.12 万元); 公用经费 = 302 = 2,391.92."""
    figures = _figures(jiangsu)
    personnel, public_use = figures["personnel"], figures["public_use"]
    assert (personnel["value"], personnel["is_derived"]) == (D("13452.12"), True)
    assert (public_use["value"], public_use["is_derived"]) == (D("2391.92"), True)
    assert personnel["derived_from"].startswith("经济分类 301 第") and "303 第" in personnel["derived_from"]
    assert public_use["derived_from"].startswith("经济分类 302 第") and "310" not in public_use["derived_from"]


def test_jiangsu_printed_figures_name_their_cell(jiangsu):
    """公开01表: 当年收入小计 24,169.74 (收入合计 of the year); 公开09表: “三公”经费小计 418.26
    (its 合计 1,276.70 also holds 会议费 and 培训费); 公开11表: 机关运行经费 is stated in the prose."""
    figures = _figures(jiangsu)
    assert figures["total_income"]["value"] == D("24169.74")
    assert figures["total_income"]["table"] == "income_expense_summary" and not figures["total_income"]["is_derived"]
    assert figures["three_public_total"]["value"] == D("418.26")
    assert figures["three_public_total"]["table"] == "three_public"
    assert all(r["source_line"] for r in figures.values())


def test_sample_headlines(data):
    """Seed 002 (平乡县总工会): 本年收入合计 552.18 (收支总表, line 210); its 基本支出表 prints
    合计 205.70 = 人员经费 199.80 + 公用经费 5.90, and its 三公 table “三公”经费小计 0.16."""
    doc_id = data.documents.filter(pl.col("source_file") == SEEDS["002"])["doc_id"].item()
    figures = _figures(data.headlines, doc_id)
    assert (figures["total_income"]["value"], figures["total_income"]["source_line"]) == (D("552.18"), 210)
    assert figures["personnel"]["value"] == D("199.80") and not figures["personnel"]["is_derived"]
    assert figures["public_use"]["value"] == D("5.90") and not figures["public_use"]["is_derived"]
    assert figures["three_public_total"]["value"] == D("0.16")
    assert set(figures) <= {
        "total_income", "total_expenditure", "basic_expenditure", "project_expenditure",
        "personnel", "public_use", "three_public_total", "operating_cost",
    }
