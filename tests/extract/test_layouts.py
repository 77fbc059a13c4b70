"""Tables of any layout: recognised by what their titles and headers say, failing one table at a time.

The first part builds small tables by hand (as text, tab-separated cells). The second reads
the shared real documents (``../shared/real/``, skipped where absent): the older Jiangsu
layouts in their one-file and two-file forms, the Shanghai unit-level and 决算 templates.
Expected figures come from reading the documents (``pdftotext -layout`` and page images)
or from the CSVs another project extracted from them, never from budgetlib's output.
"""
from __future__ import annotations

import csv
import re
from decimal import Decimal

import polars as pl
import pytest

from budgetlib.batch.pipeline import parse_to
from budgetlib.checks import run_checks
from budgetlib.extract.document import parse_bytes
from budgetlib.vocab.tables import specs_for_title, title_key
from budgetlib.vocab.text import canon
from conftest import SHARED_REAL, real_document

D = Decimal


def _records(text: str) -> dict[str, list[dict]]:
    return parse_bytes(text.encode("utf-8"), "t.txt").records


# --- titles --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title, key",
    [
        ("一、收支预算总表", "income_expense_summary"),
        ("表七 财政拨款政府性基金支出预算表", "gov_fund_expenditure"),
        ("公开05表 财政拨款支出预算表（功能科目）", "fiscal_expenditure"),
        ("1. 2026年预算单位财务收支预算总表", "income_expense_summary"),
        ("8．2026年预算单位一般公共预算基本支出部门预算经济分类预算表", "gpb_basic_expenditure"),
        ("“三公”经费、会议费、培训费支出预算表（一般公共预算）", "three_public"),
        ("2017年政府采购预算表", "procurement_budget"),
        ("九、一般公共预算基本支出预算表", "gpb_basic_expenditure"),
    ],
)
def test_titles_with_numbering_year_owner_and_qualifier(title, key):
    assert specs_for_title(title)[0].key == key, title_key(title)


def test_prose_headings_are_not_titles():
    assert specs_for_title("一、收支预算总表情况说明") == ()
    assert specs_for_title("部门政府采购预算") == ()  # the 情况说明's own small table (small_tables)


ONE_TABLE = """2025年部门一般公共预算支出功能分类预算表
单位：元
项目\t\t\t\t一般公共预算支出\t\t
功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
类\t款\t项\t\t\t\t
208\t\t\t社会保障和就业支出\t3,808,085.00\t3,808,085.00\t
\t\t\t合计\t3,808,085.00\t3,808,085.00\t
"""


def test_a_list_of_titles_is_a_table_of_contents_not_tables():
    toc = "目录\n一、收支预算总表\n二、收入预算总表\n三、支出预算总表\n第一部分 部门概况\n"
    tables = _records(toc + ONE_TABLE)["document_tables"]
    assert [(t["table"], t["status"]) for t in tables] == [("gpb_expenditure", "recognised")]


def test_a_title_broken_over_two_lines_is_joined():
    text = ONE_TABLE.replace("2025年部门一般公共预算支出功能分类预算表", "2025年部门一般公共预算支出功能分类预算\n表")
    (table,) = _records(text)["document_tables"]
    assert (table["table"], table["title"]) == ("gpb_expenditure", "2025年部门一般公共预算支出功能分类预算表")


# --- failing one table at a time ----------------------------------------------------------------

UNKNOWN = """2025年部门一般公共预算基本支出部门预算经济分类预算表
单位：元
经济分类科目编码\t\t经济分类科目名称\t甲栏\t乙栏
类\t款\t\t\t
301\t\t工资福利支出\t10.00\t5.00
"""


def test_one_table_that_cannot_be_mapped_costs_only_itself():
    records = _records(ONE_TABLE + UNKNOWN)
    tables = {t["table"]: t for t in records["document_tables"]}
    assert tables["gpb_expenditure"]["status"] == "recognised"
    bad = tables["gpb_basic_expenditure"]
    assert (bad["status"], bad["layout"], bad["numbers"], bad["columns"]) == ("unmapped", None, 0, None)
    assert "第3栏“甲栏”、第4栏“乙栏”" in bad["reason"]
    assert {r["table"] for r in records["line_items"]} == {"gpb_expenditure"}
    assert records["documents"][0]["doc_kind"] == "budget"


def test_unmapped_table_is_a_warning_naming_table_place_and_reason(tmp_path):
    import budgetlib

    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "t.txt").write_text(ONE_TABLE + UNKNOWN, encoding="utf-8")
    summary = parse_to([tmp_path / "raw"], tmp_path / "out")
    assert not summary.failures
    found = [f for f in run_checks(budgetlib.load(tmp_path / "out")) if f.check == "completeness.unmapped_table"]
    assert [(f.severity, f.table, f.source_line) for f in found] == [("warning", "gpb_basic_expenditure", 8)]
    assert "第8行" in found[0].message and "甲栏" in found[0].message


def test_a_document_with_nothing_of_a_disclosure_still_fails():
    from budgetlib.errors import ParseError

    with pytest.raises(ParseError, match="不是部门预算"):
        _records("会议通知\n一、收支预算总表\n二、收入预算总表\n")


# --- columns by what their headers say --------------------------------------------------------------


def test_columns_in_another_order_keep_their_lanci_and_keys():
    text = ONE_TABLE.replace("合计\t基本支出\t项目支出", "项目支出\t合计\t基本支出").replace(
        "3,808,085.00\t3,808,085.00\t", "\t3,808,085.00\t3,808,085.00"
    )
    records = _records(text)
    (table,) = records["document_tables"]
    assert (table["layout"], table["columns"]) == ("vocabulary", "code,name,total,basic,project")
    got = {(r["row_no"], r["col_no"], r["column"], r["value"]) for r in records["line_items"]}
    assert got == {(1, 3, "total", D("380.8085")), (1, 4, "basic", D("380.8085")), (2, 3, "total", D("380.8085")), (2, 4, "basic", D("380.8085"))}


UNIT_SUMMARY = """2026年预算单位财务收支预算总表
编制单位：测试单位\t单位：元
本年收入\t\t本年支出\t\t\t\t
项目\t预算数\t项目\t预算数\t\t\t
\t\t\t合计\t基本支出\t\t项目支出
\t\t\t\t人员经费\t公用经费\t
一、财政拨款收入\t1,000.00\t一、一般公共服务支出\t1,000.00\t600.00\t300.00\t100.00
收入总计\t1,000.00\t支出总计\t1,000.00\t600.00\t300.00\t100.00
"""


def test_unit_summary_splits_basic_expenditure_into_personnel_and_public_use():
    """单位预算 收支总表: 基本支出 printed as 人员经费 | 公用经费; each amount is named by the
    label column to its left (预算数 under 支出 is the expenditure's)."""
    records = _records(UNIT_SUMMARY)
    (table,) = records["document_tables"]
    assert (table["table"], table["layout"]) == ("income_expense_summary", "vocabulary")
    assert table["columns"].split(",")[:4] == ["income_item", "income_amount", "expenditure_item", "expenditure_amount"]
    row1 = {r["column"]: (r["item"], r["value"]) for r in records["line_items"] if r["row_no"] == 1}
    assert row1 == {
        "income_amount": ("一、财政拨款收入", D("0.1")),
        "expenditure_amount": ("一、一般公共服务支出", D("0.1")),
        "personnel": ("一、一般公共服务支出", D("0.06")),
        "public_use": ("一、一般公共服务支出", D("0.03")),
        "project": ("一、一般公共服务支出", D("0.01")),
    }


def test_blank_table_is_read_by_its_header_and_is_empty():
    text = ONE_TABLE.replace("3,808,085.00", "")
    (table,) = _records(text)["document_tables"]
    assert (table["status"], table["layout"], table["numbers"]) == ("empty", "shanghai_budget", 0)


# --- the shared real documents ---------------------------------------------------------------------

NPC = "jiangsu_npc_2017_2019/"
CPPCC = "jiangsu_cppcc_2017_2019/"
NPC_2017 = NPC + "江苏省人大办公厅2017年度预算公开.pdf"
NPC_2018 = NPC + "省人大办公厅2018预算公开.pdf"
NPC_2019_TEXT = NPC + "江苏省人大常委会2019年度部门预算公开.pdf"
NPC_2019_TABLES = NPC + "江苏省人大常委会办公厅2019年部门预算公开表.pdf"
CPPCC_2017_TEXT = CPPCC + "江苏省政协办公厅2017年度部门预算.pdf"
CPPCC_2017_TABLES = CPPCC + "2017年度部门预算公开表.pdf"
CPPCC_2018_TABLES = CPPCC + "江苏省政协办公厅2018度部门预算公开表.pdf"
CPPCC_2019_TABLES = CPPCC + "江苏省政协办公厅2019年预算公开表.pdf"
JCY_2019 = "js_jcy_2019_dept_budget.pdf"
SH_FINAL = "sh_pt_czj_2024_dept_final.pdf"
TEMPLATES = "templates/"

#: Every file of ../shared/real/ that is a disclosure (all but README.md and the CSVs).
def _disclosures() -> list[str]:
    if not SHARED_REAL.is_dir():
        return []
    return sorted(
        str(p.relative_to(SHARED_REAL)) for p in SHARED_REAL.rglob("*") if p.is_file() and p.suffix in (".pdf", ".xlsx", ".xls")
    )


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    import budgetlib

    real_document(NPC_2017)  # skips where ../shared/real is absent
    out = tmp_path_factory.mktemp("shared")
    summary = parse_to([SHARED_REAL], out)
    return summary, budgetlib.load(out)


def _doc(data, name: str) -> str:
    return data.documents.filter(pl.col("source_file") == name)["doc_id"].item()


def _tables(data, name: str) -> dict[str, tuple[str, str | None]]:
    rows = data.document_tables.filter(pl.col("doc_id") == _doc(data, name))
    return {r["table"]: (r["status"], r["layout"]) for r in rows.iter_rows(named=True)}


def _cell(data, name: str, table: str, **where) -> list[Decimal]:
    items = data.line_items.filter((pl.col("doc_id") == _doc(data, name)) & (pl.col("table") == table))
    for key, value in where.items():
        items = items.filter(pl.col(key) == value)
    return items["value"].to_list()


def test_every_shared_disclosure_parses(shared):
    summary, data = shared
    failed = {f.source_file for f in summary.failures}
    assert failed == {"README.md"}, summary.describe()
    assert set(_disclosures()) <= set(data.documents["source_file"].to_list())


# The tables each 目录 lists (一、收支预算总表 … 十二、政府采购支出预算表) as printed in the tables
# file, read from the PDFs: key -> status. 2017/2018 print 一、…/表一… titles or none, several
# tables on a page; the 政府性基金 table is printed blank with a note.
JIANGSU_TWELVE = {
    "income_expense_summary": "recognised",
    "income_by_source": "recognised",
    "expenditure_by_use": "recognised",
    "fiscal_summary": "recognised",
    "fiscal_expenditure": "recognised",
    "fiscal_basic_expenditure": "recognised",
    "gov_fund_expenditure": "empty",
    "gpb_expenditure": "recognised",
    "gpb_basic_expenditure": "recognised",
    "operating_cost_expenditure": "recognised",
    "three_public": "recognised",
    "procurement_budget": "recognised",
}


@pytest.mark.parametrize("name", [NPC_2018, NPC_2019_TABLES, CPPCC_2017_TABLES, CPPCC_2018_TABLES, CPPCC_2019_TABLES])
def test_jiangsu_tables_files_have_every_table_of_their_contents(shared, name):
    _, data = shared
    found = {k: status for k, (status, _) in _tables(data, name).items()}
    assert found == JIANGSU_TWELVE


def test_jiangsu_2017_one_file_every_table_of_its_contents(shared):
    """The 2017 one-file form (prose, then the tables, several on a page, titles without 公开xx表).
    Page 11 also carries, below the printed area, the text of a 财政拨款基本支出预算表 as loose
    words (no grid): that copy gives way to the table printed on page 12."""
    _, data = shared
    found = {k: status for k, (status, _) in _tables(data, NPC_2017).items()}
    assert found == JIANGSU_TWELVE


@pytest.mark.parametrize("name", [NPC_2019_TEXT, CPPCC_2017_TEXT])
def test_jiangsu_text_files_list_the_tables_but_print_none(shared, name):
    """The 公开文件 of the two-file form: its 目录 lists the twelve tables, printed in the other file."""
    _, data = shared
    assert _tables(data, name) == {}
    assert data.documents.filter(pl.col("source_file") == name)["doc_kind"].item() == "budget"


def test_jiangsu_2017_basic_expenditure_with_one_amount_column(shared):
    """财政拨款基本支出预算表 (page 12-13): 合计 7,666.68, 301 2,928.98, 30101 基本工资 1,015.15."""
    _, data = shared
    assert _cell(data, NPC_2017, "fiscal_basic_expenditure", item="合计") == [D("7666.68")]
    assert _cell(data, NPC_2017, "fiscal_basic_expenditure", code="301") == [D("2928.98")]
    assert _cell(data, NPC_2017, "fiscal_basic_expenditure", code="30101") == [D("1015.15")]


def test_jiangsu_2017_three_public_with_meetings_and_training(shared):
    """三公、会议费、培训费 (page 20, one row): 合计 2,542.60, 三公小计 833.60, 出国 222.50,
    车 183.60 (购置 0, 运行 183.60), 接待 427.50, 会议费 1,305.25, 培训费 403.75."""
    _, data = shared
    items = data.line_items.filter((pl.col("doc_id") == _doc(data, NPC_2017)) & (pl.col("table") == "three_public"))
    got = {item: value for item, value in items.select("item", "value").iter_rows()}
    assert got == {
        "合计": D("2542.60"),
        "“三公”经费小计": D("833.60"),
        "因公出国（境）费": D("222.50"),
        "公务用车购置及运维费": D("183.60"),
        "公务用车购置费": D("0"),
        "公务用车运行维护费": D("183.60"),
        "公务接待费": D("427.50"),
        "会议费": D("1305.25"),
        "培训费": D("403.75"),
    }


def test_jiangsu_2017_operating_cost_and_procurement(shared):
    """机关运行经费 (page 19): 合计 5,619.31, 30215 会议费 1,305.25; 政府采购 (page 20): 合计 2,247.85."""
    _, data = shared
    assert _cell(data, NPC_2017, "operating_cost_expenditure", item="合计") == [D("5619.31")]
    assert _cell(data, NPC_2017, "operating_cost_expenditure", code="30215") == [D("1305.25")]
    assert _cell(data, NPC_2017, "procurement_budget", item="合计") == [D("2247.85")]


def test_procurement_continued_under_its_title_again(shared):
    """政协 2017 政府采购预算表: printed on pages 12 and 13, title and header repeated; page 13's
    rows (省政协委员培训费 74.40, its 餐饮服务 20.40) continue the table."""
    _, data = shared
    values = _cell(data, CPPCC_2017_TABLES, "procurement_budget")
    assert D("74.40") in values and D("20.40") in values
    tables = data.document_tables.filter(
        (pl.col("doc_id") == _doc(data, CPPCC_2017_TABLES)) & (pl.col("table") == "procurement_budget")
    )
    assert tables.height == 1


def _summary_labels(data, name: str) -> dict[str, set[Decimal]]:
    items = data.line_items.filter((pl.col("doc_id") == _doc(data, name)) & (pl.col("table") == "income_expense_summary"))
    by_label: dict[str, set[Decimal]] = {}
    for item, value in items.select("item", "value").iter_rows():
        label = re.sub(r"^([一二三四五六七八九十]+、|\d+[.、])", "", canon(item or ""))
        by_label.setdefault(label, set()).add(value)
    return by_label


NPC_BY_YEAR = {"2017": NPC_2017, "2018": NPC_2018, "2019": NPC_2019_TABLES}


def test_every_figure_of_the_npc_csv_is_in_its_summary_table(shared):
    """收支预算总表.csv (another project's extraction): every figure of every year is the
    收支总表 line of the same name in that year's document."""
    _, data = shared
    with open(real_document(NPC + "收支预算总表.csv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 3
    for row in rows:
        by_label = _summary_labels(data, NPC_BY_YEAR[row[""][:4]])
        for column, text in row.items():
            if column and text:
                assert D(text) in by_label.get(column, set()), (row[""], column, text, by_label.get(column))


def test_every_figure_of_the_jcy_csv_2019_row_is_in_its_summary_table(shared):
    _, data = shared
    with open(real_document("js_jcy_2017_2019_szzb_extracted.csv"), encoding="utf-8") as fh:
        row = next(r for r in csv.DictReader(fh) if r[""].startswith("2019"))
    by_label = _summary_labels(data, JCY_2019)
    for column, text in row.items():
        if column and text:
            assert D(text) in by_label.get(column, set()), (column, text)


def test_final_three_public_prints_budget_and_final_per_item(shared):
    """决算 三公 (预算数 | 决算数 per item): the template's header maps every item both ways;
    the district's final account prints 预算数 0.95 for 合计 and 公务接待费."""
    _, data = shared
    template = data.document_tables.filter(
        (pl.col("doc_id") == _doc(data, TEMPLATES + "shanghai_final_accounts_template.pdf")) & (pl.col("table") == "three_public")
    )
    assert template.select("status", "layout", "columns").rows() == [("empty", "shanghai_final", "item,total,budget")]
    assert _cell(data, SH_FINAL, "three_public", column="budget") == [D("0.95"), D("0.95")]


# The nine 决算 tables of the template (blank, XX placeholders): every one recognised, no number.
FINAL_TEMPLATE = {
    "income_expense_summary": ("empty", "shanghai_final"),
    "income": ("empty", "shanghai_final"),
    "expenditure": ("empty", "shanghai_final"),
    "fiscal_summary": ("empty", "shanghai_final"),
    "gpb_expenditure": ("empty", "shanghai_final"),
    "gpb_basic_expenditure": ("empty", "shanghai_final"),
    "three_public": ("empty", "shanghai_final"),
    # 本年支出 / 合计 (not 小计) and 合计 printed on the header line: read by the vocabulary.
    "gov_fund_expenditure": ("empty", "vocabulary"),
    "soe_capital_expenditure": ("empty", "vocabulary"),
}


def test_final_accounts_template_every_table_recognised_no_numbers(shared):
    _, data = shared
    name = TEMPLATES + "shanghai_final_accounts_template.pdf"
    assert _tables(data, name) == FINAL_TEMPLATE
    assert data.line_items.filter(pl.col("doc_id") == _doc(data, name)).height == 0


BUDGET_TEMPLATE = {
    key: ("empty", "shanghai_budget")
    for key in (
        "income_expense_summary",
        "income",
        "expenditure",
        "fiscal_summary",
        "gpb_expenditure",
        "gov_fund_expenditure",
        "soe_capital_expenditure",
        "gpb_basic_expenditure",
        "three_public",
    )
}


@pytest.mark.parametrize(
    "name, summary",
    [
        ("shanghai_department_budget_template.xlsx", ("empty", "shanghai_budget")),
        # 单位预算: the 收支总表's 基本支出 split into 人员经费 and 公用经费.
        ("shanghai_unit_budget_template.xlsx", ("empty", "vocabulary")),
        ("shanghai_unit_budget_template.xls", ("empty", "vocabulary")),
    ],
)
def test_blank_budget_workbooks_every_table_recognised(shared, name, summary):
    _, data = shared
    assert _tables(data, TEMPLATES + name) == {**BUDGET_TEMPLATE, "income_expense_summary": summary}
    assert data.line_items.filter(pl.col("doc_id") == _doc(data, TEMPLATES + name)).height == 0


def test_unit_summary_columns_in_the_workbook(shared):
    _, data = shared
    row = data.document_tables.filter(
        (pl.col("doc_id") == _doc(data, TEMPLATES + "shanghai_unit_budget_template.xlsx"))
        & (pl.col("table") == "income_expense_summary")
    )
    assert row["columns"].item().split(",")[:7] == [
        "income_item", "income_amount", "expenditure_item", "expenditure_amount", "personnel", "public_use", "project"
    ]


def test_codes_of_the_other_classification_contradict_the_title():
    """Confirmed by content: a 支出功能分类 table whose codes are economic (301 …) is not read as one."""
    text = ONE_TABLE.replace("208\t\t\t社会保障和就业支出", "301\t\t\t工资福利支出")
    table, _ = _records(text + UNIT_SUMMARY)["document_tables"]
    assert table["status"] == "unmapped" and "经济分类" in table["reason"]


def test_table_continued_under_its_repeated_header(shared):
    """Shanghai 2025 一般公共预算支出功能分类预算表: page 16 starts with the header again (项目 /
    功能分类科目编码 … / 类 款 项) and goes on with 208 05 99 其他行政事业单位养老支出 13,260.00 元;
    the header rows are not data, and the table is one."""
    _, data = shared
    name = "sh_pt_swj_2025_dept_budget.pdf"
    assert _cell(data, name, "gpb_expenditure", code="2080599", column="total") == [D("1.326")]
    items = data.line_items.filter((pl.col("doc_id") == _doc(data, name)) & (pl.col("table") == "gpb_expenditure"))
    assert not any("科目" in (i or "") or i == "类" for i in items["item"].to_list())


def test_header_only_page_then_rows():
    """A page that prints only the header again (the rows follow on the next) costs nothing."""
    header = "项目\t\t\t\t一般公共预算支出\t\t\n功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出\n类\t款\t项\t\t\t\t\n"
    text = ONE_TABLE.replace("\t\t\t合计\t", "- 2 -\n" + header + "- 3 -\n" + header + "\t\t\t合计\t")
    records = _records(text)
    (table,) = records["document_tables"]
    assert (table["status"], table["data_rows"]) == ("recognised", 2)
    assert [r["item"] for r in records["line_items"]] == ["社会保障和就业支出"] * 2 + ["合计"] * 2


ARITHMETIC = """2025年部门一般公共预算支出功能分类预算表
单位：元
功能分类科目编码\t\t\t功能分类科目名称\t{a}\t{b}\t{c}
类\t款\t项\t\t\t\t
201\t\t\t一般公共服务支出\t300.00\t100.00\t200.00
201\t13\t\t商贸事务\t300.00\t100.00\t200.00
208\t\t\t社会保障和就业支出\t50.00\t50.00\t
\t\t\t合计\t350.00\t150.00\t200.00
"""


@pytest.mark.parametrize(
    "headers, expected",
    [
        # A header that names nothing: the sum of the other two in every row, so 合计.
        (("本级安排", "基本支出", "项目支出"), "code,name,total,basic,project"),
        # 合计 known, one part unnamed: the only part the 合计 misses.
        (("合计", "基本支出", "其他"), "code,name,total,basic,project"),
    ],
)
def test_where_the_header_leaves_a_doubt_the_figures_decide(headers, expected):
    a, b, c = headers
    records = _records(ARITHMETIC.format(a=a, b=b, c=c))
    (table,) = records["document_tables"]
    assert (table["layout"], table["columns"]) == ("vocabulary", expected)
    row1 = {r["column"]: r["value"] for r in records["line_items"] if r["row_no"] == 1}
    assert row1 == {"total": D("0.03"), "basic": D("0.01"), "project": D("0.02")}


def test_figures_that_do_not_add_up_leave_the_column_unmapped():
    text = ARITHMETIC.format(a="本级安排", b="基本支出", c="项目支出").replace("300.00\t100.00", "301.00\t100.00", 1)
    table, _ = _records(text + UNIT_SUMMARY)["document_tables"]
    assert table["status"] == "unmapped"


def test_workbook_table_of_a_vocabulary_read_table_keeps_its_own_columns(tmp_path):
    """The standard-table view (Excel) of a table read by the vocabulary shows the columns it
    printed, 人员经费 and 公用经费 included."""
    import budgetlib
    from budgetlib.analysis.standard_tables import standard_table

    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "unit.txt").write_text(UNIT_SUMMARY, encoding="utf-8")
    parse_to([tmp_path / "raw"], tmp_path / "out")
    data = budgetlib.load(tmp_path / "out")
    doc_id = data.documents["doc_id"].item()
    table = standard_table(data, doc_id, "income_expense_summary")
    labels = [c.header for c in table.columns]
    assert labels[:3] == ["序号", "收入项目", "收入预算数"] and "人员经费" in labels and "公用经费" in labels
    first = table.rows[0]
    assert D("0.06") in first and D("0.03") in first
