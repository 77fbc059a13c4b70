"""Three published PDFs of ../shared/real/: metadata, every table recognised, numbers as read by hand.

Expected values come from reading the documents (the page images and
``pdftotext -layout``), written down in tests/expected/real/*.tsv, never from
budgetlib's output. Jiangsu's main totals are also checked against the CSV
another project extracted from the same document (its 2019 row, in 万元).
"""
from __future__ import annotations

import csv
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from budgetlib.vocab.sources import describe_line
from budgetlib.vocab.money import UNIT_TO_WAN, parse_amount
from budgetlib.batch.pipeline import parse_to
from conftest import EXPECTED, real_document

REAL = EXPECTED / "real"
SH_BUDGET = "sh_pt_swj_2025_dept_budget.pdf"
SH_FINAL = "sh_pt_czj_2024_dept_final.pdf"
JS_BUDGET = "js_jcy_2019_dept_budget.pdf"

# sha256 of the files in ../shared/real/ that the expected values were read from.
SHA256 = {
    SH_BUDGET: "b067184912969b733d53e86c4cf658ba91b4cecf93c25b9198ea3086515e7a6a",
    SH_FINAL: "d45e923176f9fe4b6533829d3a2fe67f8cbcd55d07099dabf73aca62701f8eb5",
    JS_BUDGET: "68beaee94edad2928927da691742136f2069d1347da0f8d03fbe7bea8febf790",
}

# Read from the cover, the table headers (编制部门 / 部门名称) and the titles.
METADATA = {
    SH_BUDGET: (None, "上海市普陀区商务委员会", "上海市普陀区", 2025, "budget", "元", "pdf"),
    SH_FINAL: (None, "上海市普陀区财政局", "上海市普陀区", 2024, "final_accounts", "万元", "pdf"),
    JS_BUDGET: (None, "江苏省人民检察院", "江苏省", 2019, "budget", "万元", "pdf"),
}

# Every table each document prints (its table of contents lists the same), with the
# naming scheme whose layout it matches and the unit it prints.
TABLES = {
    SH_BUDGET: {
        "income_expense_summary": ("shanghai_budget", "元"),
        "income": ("shanghai_budget", "元"),
        "expenditure": ("shanghai_budget", "元"),
        "fiscal_summary": ("shanghai_budget", "元"),
        "gpb_expenditure": ("shanghai_budget", "元"),
        "gov_fund_expenditure": ("shanghai_budget", "元"),
        "soe_capital_expenditure": ("shanghai_budget", "元"),
        "gpb_basic_expenditure": ("shanghai_budget", "元"),
        "three_public": ("shanghai_budget", "万元"),
    },
    SH_FINAL: {
        key: ("shanghai_final", "万元")
        for key in [
            "income_expense_summary",
            "income",
            "expenditure",
            "fiscal_summary",
            "gpb_expenditure",
            "gpb_basic_expenditure",
            "three_public",
            "gov_fund_expenditure",
            "soe_capital_expenditure",
        ]
    },
    JS_BUDGET: {
        key: ("jiangsu_budget", "万元")
        for key in [
            "income_expense_summary",  # 公开01表
            "income_by_source",  # 公开02表
            "expenditure_by_use",  # 公开03表
            "fiscal_summary",  # 公开04表
            "fiscal_expenditure",  # 公开05表
            "fiscal_basic_expenditure",  # 公开06表
            "gpb_expenditure",  # 公开07表
            "gpb_basic_expenditure",  # 公开08表
            "three_public",  # 公开09表
            "gov_fund_expenditure",  # 公开10表 (此表为空)
            "operating_cost_expenditure",  # 公开11表
            "procurement_budget",  # 公开12表
        ]
    },
}

# Numbers printed in whole tables, counted on the page.
NUMBERS = {
    SH_BUDGET: {"income_expense_summary": 11, "fiscal_summary": 18, "three_public": 3, "gov_fund_expenditure": 0, "soe_capital_expenditure": 0},
    SH_FINAL: {"income_expense_summary": 12, "fiscal_summary": 19, "income": 45, "gpb_basic_expenditure": 29, "three_public": 2, "gov_fund_expenditure": 0},
    JS_BUDGET: {"income_expense_summary": 12, "income_by_source": 3, "expenditure_by_use": 4, "fiscal_summary": 6, "three_public": 8, "gov_fund_expenditure": 0, "procurement_budget": 41},
}


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    import budgetlib

    out = tmp_path_factory.mktemp("real")
    summary = parse_to([real_document(name) for name in TABLES], out)
    assert not summary.failures, summary.describe()
    return budgetlib.load(out)


def _doc(real, name: str) -> str:
    return real.documents.filter(pl.col("source_file") == name)["doc_id"].item()


def expected_numbers(name: str) -> list[tuple[str, int, int, Decimal, str]]:
    path = REAL / (Path(name).stem + ".tsv")
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    rows = []
    for r in csv.DictReader(lines, delimiter="\t"):
        value = parse_amount(r["value"]) * UNIT_TO_WAN[r["unit"]]
        rows.append((r["table"], int(r["row_no"]), int(r["col_no"]), value, r["what"]))
    return rows


@pytest.mark.parametrize("name", sorted(SHA256))
def test_documents_are_the_ones_read_by_hand(name):
    assert hashlib.sha256(real_document(name).read_bytes()).hexdigest() == SHA256[name]


@pytest.mark.parametrize("name", sorted(METADATA))
def test_document_metadata(real, name):
    row = real.documents.filter(pl.col("source_file") == name).select(
        "department_code", "department_name", "region", "fiscal_year", "doc_kind", "source_unit", "source_format"
    )
    assert row.rows() == [METADATA[name]]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_every_table_is_recognised_with_its_layout_and_unit(real, name):
    printed = real.document_tables.filter(pl.col("doc_id") == _doc(real, name))
    found = {r["table"]: (r["layout"], r["unit"]) for r in printed.iter_rows(named=True)}
    assert found == TABLES[name]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_numbers_read_by_hand(real, name):
    items = real.line_items.filter(pl.col("doc_id") == _doc(real, name))
    parsed = {(r["table"], r["row_no"], r["col_no"]): r["value"] for r in items.iter_rows(named=True)}
    wrong = []
    for table, row_no, col_no, value, what in expected_numbers(name):
        got = parsed.get((table, row_no, col_no))
        if got != value:
            wrong.append((table, row_no, col_no, what, value, got))
    assert wrong == []


@pytest.mark.parametrize("name", sorted(NUMBERS))
def test_whole_tables_print_exactly_their_numbers(real, name):
    items = real.line_items.filter(pl.col("doc_id") == _doc(real, name))
    counts = dict(items.group_by("table").len().iter_rows())
    assert {t: counts.get(t, 0) for t in NUMBERS[name]} == NUMBERS[name]


def test_shanghai_amounts_in_yuan_become_exact_wan(real):
    """371,514,655.00 元 is 37151.4655 万元 exactly; the 三公 table is printed in 万元 as it is."""
    items = real.line_items.filter(pl.col("doc_id") == _doc(real, SH_BUDGET))
    total = items.filter((pl.col("table") == "income_expense_summary") & (pl.col("row_no") == 8) & (pl.col("col_no") == 2))
    assert total["value"].item() == Decimal("37151.4655")
    three = items.filter((pl.col("table") == "three_public") & (pl.col("row_no") == 12))
    assert three.select("item", "value").rows() == [("机关运行经费", Decimal("171.01"))]


def test_codes_printed_over_lei_kuan_xiang_are_joined(real):
    items = real.line_items.filter((pl.col("doc_id") == _doc(real, SH_BUDGET)) & (pl.col("table") == "expenditure"))
    row = items.filter(pl.col("row_no") == 3).sort("col_no")
    assert row.select("code", "item", "column").rows() == [("2011301", "行政运行", "total"), ("2011301", "行政运行", "basic")]
    total = items.filter(pl.col("row_no") == 31)
    assert set(total["code"]) == {None} and set(total["item"]) == {"合计"}


def test_two_panel_table_is_read_left_panel_then_right(real):
    items = real.line_items.filter((pl.col("doc_id") == _doc(real, SH_FINAL)) & (pl.col("table") == "gpb_basic_expenditure"))
    labels = dict(items.select("row_no", "item").iter_rows())
    assert (labels[1], labels[27], labels[28], labels[66]) == ("工资福利支出", "人员经费合计", "商品和服务支出", "公用经费合计")
    codes = dict(items.select("row_no", "code").iter_rows())
    assert (codes[1], codes[28], codes[58]) == ("301", "302", "31002")


def test_final_three_public_keeps_budget_and_final_apart(real):
    """决算 三公: 预算数 0.95 (合计 and 公务接待费) printed, every 决算数 blank."""
    items = real.line_items.filter((pl.col("doc_id") == _doc(real, SH_FINAL)) & (pl.col("table") == "three_public"))
    assert sorted(items.select("row_no", "item", "column").rows()) == [(1, "合计", "budget"), (9, "公务接待费", "budget")]


def test_empty_tables_keep_their_note(real):
    tables = real.document_tables
    sh = tables.filter((pl.col("doc_id") == _doc(real, SH_BUDGET)) & (pl.col("table") == "gov_fund_expenditure"))
    assert sh["note"].item() == "注:本部门2025年无政府性基金预算财政拨款安排的预算，故本表为空表。"
    js = tables.filter((pl.col("doc_id") == _doc(real, JS_BUDGET)) & (pl.col("table") == "gov_fund_expenditure"))
    assert js["note"].item() == "此表为空"


def test_jiangsu_totals_equal_the_other_projects_2019_row(real):
    """Every figure of the CSV's 2019 row is the 收支预算总表 line of the same name."""
    with open(REAL / "js_jcy_2017_2019_szzb_extracted.csv", encoding="utf-8") as fh:
        rows = {r[""]: r for r in csv.DictReader(fh)}
    expected = rows["2019-01-01"]
    items = real.line_items.filter((pl.col("doc_id") == _doc(real, JS_BUDGET)) & (pl.col("table") == "income_expense_summary"))
    by_label: dict[str, Decimal] = {}
    for item, value in items.select("item", "value").iter_rows():
        label = re.sub(r"^([一二三四五六七八九十]+、|\d+\.)", "", item)
        by_label.setdefault(label, value)
    for column, text in expected.items():
        if column == "":
            continue
        if text == "":
            assert column not in by_label, column  # 三、其他资金 is printed blank
        else:
            assert by_label[column] == Decimal(text), column


def test_source_lines_name_the_page_and_row(real):
    """三公 合计 of the Shanghai budget: page 21, under the title, the unit line and three header rows."""
    items = real.line_items.filter((pl.col("doc_id") == _doc(real, SH_BUDGET)) & (pl.col("table") == "three_public"))
    line = items.filter(pl.col("row_no") == 1)["source_line"].item()
    assert describe_line("pdf", line) == "第21页第6行"


# Headline figures by meaning, read from the tables: Shanghai's 收入总计 (no 本年收入合计 printed),
# Jiangsu's 当年收入小计 / 当年支出小计 and 公开03表, the 决算 基本支出表's 人员经费合计 / 公用经费合计.
HEADLINES = {
    SH_BUDGET: ("37151.4655", "37151.4655", "1983.0655", "35168.4", "1812.0593", "171.0062", "1.00"),
    SH_FINAL: ("2946.25", "2940.05", "2336.91", "603.14", "2152.26", "184.65", None),
    JS_BUDGET: ("24169.74", "24169.74", "15844.04", "4335.30", None, None, "418.26"),
}


@pytest.mark.parametrize("name", sorted(HEADLINES))
def test_headline_figures_whatever_the_scheme(real, name):
    from budgetlib.analysis.figures import FIGURES, headline_figures

    figures = headline_figures(real, _doc(real, name))
    expected = [None if v is None else Decimal(v) for v in HEADLINES[name]]
    assert [figures[k].value for k in FIGURES] == expected
    assert all(name in f.source and "页" in f.source for f in figures.values() if f.value is not None)


def test_table_checks_report_only_what_the_documents_really_have(real):
    """No table identity is broken beyond rounding in the three PDFs. What the checks do report
    is really printed: the Shanghai final account gives 社会保障和就业支出 as 326.71 in both
    收支总表s, while the class in its 支出决算表 (84.65 + 160.75 + 80.38 + 0.94) is 326.72, and
    its 决算表 totals are 0.01 off the sum of their classes; Jiangsu's 三公 公务接待费 (101.26) is
    above the basic-expenditure line 30217 (33.26), the rest paid from projects (info).

    Findings on the prose and its words (``prose.*``, ``statements.*``, ``wording.*``,
    ``budget_vs_final.*``) are left out here: they depend on reading the 情况说明 (see
    tests/checks/test_wording_faults.py for the real anomalies they find).
    """
    from budgetlib.checks import run_checks

    docs = {_doc(real, name): name for name in TABLES}
    found = [f.record() for f in run_checks(real) if f.doc_id in docs]
    serious = [(docs[f["doc_id"]], f["check"], f["message"]) for f in found if f["severity"] in ("error", "warning")]
    words = ("prose.", "statements.", "wording.", "budget_vs_final.")
    assert [s for s in serious if not s[1].startswith(words)] == []
    rounding = {(docs[f["doc_id"]], f["table"], f["row_no"], f["col_no"]) for f in found if f["severity"] == "rounding" and not f["check"].startswith("prose.")}
    assert (SH_FINAL, "income_expense_summary", 8, 4) in rounding
    assert (SH_FINAL, "fiscal_summary", 8, 5) in rounding
    assert {docs[f["doc_id"]] for f in found if f["severity"] == "rounding" and not f["check"].startswith("prose.")} == {SH_FINAL}
    info = [(docs[f["doc_id"]], f["check"]) for f in found if f["severity"] == "info" and not f["check"].startswith(words)]
    assert info == [(JS_BUDGET, "three_public.vs_economic_30217")]
