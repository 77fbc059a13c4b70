"""Provinces' naming schemes declared as data, tables without 栏次, and budget against final accounts."""
from __future__ import annotations

import re
from decimal import Decimal

import polars as pl
import pytest

from budgetlib.errors import ParseError
from budgetlib.analysis.budget_execution import execution, rate, year_pairs
from budgetlib.store.load import Dataset
from budgetlib.extract.document import parse_bytes
from budgetlib.vocab.tables import ALL_TABLES, SCHEMES, STANDARD_TABLES, TABLES_BY_KEY, scheme_tables, specs_for_title
from budgetlib.store.write import to_arrow

# --- the declarations -------------------------------------------------------------------------


def test_a_column_key_has_one_lanci_in_every_layout_of_its_table():
    """col_no means the same in every province: the national 栏次, or one number after them."""
    for spec in ALL_TABLES:
        numbers: dict[str, set[int]] = {}
        for layout in spec.layouts:
            for col in layout.columns:
                numbers.setdefault(col.key, set()).add(col.no)
        assert {k: v for k, v in numbers.items() if len(v) > 1} == {}, spec.key
        by_no: dict[int, set[str]] = {}
        for key, nos in numbers.items():
            by_no.setdefault(next(iter(nos)), set()).add(key)
        assert {n: k for n, k in by_no.items() if len(k) > 1} == {}, spec.key


def test_every_layout_belongs_to_a_declared_scheme():
    assert {layout.scheme for spec in ALL_TABLES for layout in spec.layouts} == set(SCHEMES)


def test_scheme_tables():
    assert [s.key for s in scheme_tables("hebei")] == [s.key for s in STANDARD_TABLES]
    jiangsu = {s.key for s in scheme_tables("jiangsu_budget")}
    assert "soe_capital_expenditure" not in jiangsu and "procurement_budget" in jiangsu
    assert len(scheme_tables("shanghai_budget")) == len(scheme_tables("shanghai_final")) == 9


def test_one_title_two_tables_the_header_decides():
    assert [s.key for s in specs_for_title("收入预算总表")] == ["income", "income_by_source"]
    assert [s.key for s in specs_for_title("公开03表 支出预算总表")] == ["expenditure", "expenditure_by_use"]
    assert [s.key for s in specs_for_title("2024年度部门收入支出决算总表")] == ["income_expense_summary"]


def test_every_declared_title_has_biao_so_prose_lines_are_skipped_without_lookup():
    from budgetlib.vocab.tables import TITLE_INDEX

    # specs_for_title answers () at once for a line without 表; a title without it would never be found.
    assert TITLE_INDEX and all("表" in key for key in TITLE_INDEX)
    assert specs_for_title("一般公共预算“三公”经费支出情况说明") == ()


def test_shanghai_three_public_is_printed_in_wan_yuan_beside_tables_in_yuan():
    spec = TABLES_BY_KEY["three_public"]
    assert spec.layout("shanghai_budget").expected_unit == "万元"
    assert TABLES_BY_KEY["expenditure"].layout("shanghai_budget").expected_unit == "元"


# --- tables without 栏次, as text ------------------------------------------------------------

# A Shanghai-style table as text extracted from a PDF: tab-separated cells, code over 类/款/项.
SH_TEXT = """2025年部门一般公共预算支出功能分类预算表
编制部门：测试区财政局
单位：元
项目\t\t\t\t一般公共预算支出\t\t
功能分类科目编码\t\t\t功能分类科目名称\t合计\t基本支出\t项目支出
类\t款\t项\t\t\t\t
208\t\t\t社会保障和就业支出\t3,808,085.00\t3,808,085.00\t
208\t05\t\t行政事业单位养老支出\t3,808,085.00\t3,808,085.00\t
208\t05\t05\t机关事业单位基本养老保险缴费支出\t1,410,886.01\t1,410,886.01\t
208\t05\t99\t其他行政事业单位养老支出\t2,397,198.99\t2,397,198.99\t
\t\t\t合计\t3,808,085.00\t3,808,085.00\t
"""


def _items(text: str) -> list[dict]:
    return parse_bytes(text.encode("utf-8"), "t.txt").records["line_items"]


def test_text_table_without_lanci_maps_columns_by_header():
    items = _items(SH_TEXT)
    got = [(r["row_no"], r["col_no"], r["code"], r["item"], r["column"], r["value"]) for r in items]
    assert got == [
        (1, 3, "208", "社会保障和就业支出", "total", Decimal("380.8085")),
        (1, 4, "208", "社会保障和就业支出", "basic", Decimal("380.8085")),
        (2, 3, "20805", "行政事业单位养老支出", "total", Decimal("380.8085")),
        (2, 4, "20805", "行政事业单位养老支出", "basic", Decimal("380.8085")),
        (3, 3, "2080505", "机关事业单位基本养老保险缴费支出", "total", Decimal("141.088601")),
        (3, 4, "2080505", "机关事业单位基本养老保险缴费支出", "basic", Decimal("141.088601")),
        (4, 3, "2080599", "其他行政事业单位养老支出", "total", Decimal("239.719899")),
        (4, 4, "2080599", "其他行政事业单位养老支出", "basic", Decimal("239.719899")),
        (5, 3, None, "合计", "total", Decimal("380.8085")),
        (5, 4, None, "合计", "basic", Decimal("380.8085")),
    ]
    assert [r["source_line"] for r in items][::2] == [7, 8, 9, 10, 11]


def test_code_printed_with_spaces_in_one_cell():
    text = SH_TEXT.replace("208\t05\t05\t", "208 05 05\t\t\t")
    row = [r for r in _items(text) if r["row_no"] == 3]
    assert {r["code"] for r in row} == {"2080505"}


def test_header_of_an_unknown_layout_is_named_in_the_table_status():
    """A header neither a declared layout nor the vocabulary can map: the table is kept as
    unmapped, with the columns as printed in the reason; the rest of the document is read."""
    text = SH_TEXT.replace("基本支出\t项目支出", "人员支出\t其他支出")
    records = parse_bytes((text + JS_INCOME_TEXT).encode("utf-8"), "t.txt").records
    table, other = records["document_tables"]
    assert (table["table"], table["status"], table["layout"], table["numbers"]) == ("gpb_expenditure", "unmapped", None, 0)
    assert re.search("表头无法对应到已知栏目（共5栏：.*第3栏“一般公共预算支出合计”、第4栏“人员支出”", table["reason"])
    assert table["source_line"] == 1 and other["status"] == "recognised"
    assert {r["table"] for r in records["line_items"]} == {"income_by_source"}


def test_a_document_whose_only_table_cannot_be_mapped_fails_with_the_reason():
    text = SH_TEXT.replace("基本支出\t项目支出", "人员支出\t其他支出")
    with pytest.raises(ParseError, match="未能读出任何标准表：.*第4栏“人员支出”") as err:
        parse_bytes(text.encode("utf-8"), "t.txt")
    assert err.value.line == 1


JS_INCOME_TEXT = """公开02表
收入预算总表
部门名称：测试检察院\t单位：万元
项目名称\t\t金额
收入总计\t\t100.50
一般公共预算资金\t小计\t100.50
\t公共财政拨款（补助）资金\t90.00
\t专项收入\t10.50
"""


def test_jiangsu_income_by_source_is_kept_under_its_own_key():
    items = parse_bytes(JS_INCOME_TEXT.encode(), "js.txt").records
    assert items["document_tables"][0]["table"] == "income_by_source"
    got = [(r["table"], r["row_no"], r["item"], r["value"]) for r in items["line_items"]]
    assert got == [
        ("income_by_source", 1, "收入总计", Decimal("100.50")),
        ("income_by_source", 2, "一般公共预算资金/小计", Decimal("100.50")),
        ("income_by_source", 3, "公共财政拨款（补助）资金", Decimal("90.00")),
        ("income_by_source", 4, "专项收入", Decimal("10.50")),
    ]


def test_transposed_table_with_two_rows_of_figures_is_not_read():
    text = """2025年部门“三公”经费和机关运行经费预算表
单位:万元
“三公”经费预算数\t\t\t\t\t\t机关运行经费预算数
合计\t因公出国(境)费\t公务接待费\t公务用车购置及运行费\t\t\t
\t\t\t小计\t购置费\t运行费\t
1.00\t\t1.00\t\t\t\t171.01
2.00\t\t2.00\t\t\t\t171.01
"""
    table, _ = parse_bytes((text + JS_INCOME_TEXT).encode(), "t.txt").records["document_tables"]
    assert table["status"] == "unmapped" and "应只有一行数据，实有2行" in table["reason"]


# --- budget against final accounts ------------------------------------------------------------


def _dataset(tmp_path) -> Dataset:
    docs = [
        {"doc_id": "b", "source_file": "b.txt", "sha256": "1", "source_format": "pdf_text", "department_code": None,
         "department_name": "测试局", "region": "测试区", "fiscal_year": 2024, "doc_kind": "budget", "source_unit": "万元"},
        {"doc_id": "f", "source_file": "f.pdf", "sha256": "2", "source_format": "pdf", "department_code": None,
         "department_name": "测试局", "region": "测试区", "fiscal_year": 2024, "doc_kind": "final_accounts", "source_unit": "万元"},
    ]

    def item(doc, table, row_no, col_no, code, label, column, value, line):
        return {"doc_id": doc, "table": table, "row_no": row_no, "col_no": col_no, "code": code, "item": label,
                "column": column, "value": Decimal(value), "source_line": line}

    items = [
        item("b", "gpb_expenditure", 1, 3, "2011301", "行政运行", "total", "100.00", 10),
        item("b", "gpb_expenditure", 2, 3, "2011302", "一般行政管理事务", "total", "100.00", 11),
        item("b", "gpb_expenditure", 3, 3, None, "合计", "total", "200.00", 12),
        item("b", "three_public", 9, 2, None, "三、公务接待费", "total", "2.00", 20),
        item("f", "gpb_expenditure", 1, 3, "2011301", "行政运行", "total", "95.50", 15010),
        item("f", "gpb_expenditure", 2, 3, None, "合计", "total", "95.50", 15011),
        item("f", "three_public", 9, 6, None, "公务接待费", "budget", "2.00", 18006),
        item("f", "three_public", 9, 2, None, "公务接待费", "total", "1.50", 18006),
    ]
    printed = [
        {"doc_id": d, "table": t, "title": t, "data_rows": 1, "numbers": 1, "unit": "万元", "note": None, "layout": None, "source_line": 1}
        for d in ("b", "f")
        for t in ("gpb_expenditure", "three_public")
    ]
    frames = {
        "documents": pl.from_arrow(to_arrow("documents", docs)),
        "line_items": pl.from_arrow(to_arrow("line_items", items)),
        "document_tables": pl.from_arrow(to_arrow("document_tables", printed)),
    }
    return Dataset(tmp_path, frames)


def test_execution_rate_of_each_line(tmp_path):
    from budgetlib.analysis.departments import departments

    data = _dataset(tmp_path)
    (dept,) = departments(data)
    assert year_pairs(data, dept) == [(2024, "b", "f")]
    table = execution(data, dept)
    rows = [(r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8]) for r in table.rows]
    assert rows == [
        ("一般公共预算财政拨款支出表", "2011301 行政运行", "合计", Decimal("100.00"), Decimal("95.50"), Decimal("0.9550"), "b.txt 第10行", "f.pdf 第15页第10行"),
        ("一般公共预算财政拨款支出表", "2011302 一般行政管理事务", "合计", Decimal("100.00"), Decimal("0"), Decimal("0"), "b.txt 第11行", "决算表中空白"),
        ("一般公共预算财政拨款支出表", "合计", "合计", Decimal("200.00"), Decimal("95.50"), Decimal("0.4775"), "b.txt 第12行", "f.pdf 第15页第11行"),
        ("财政拨款“三公”经费支出表", "三、公务接待费", "合计", Decimal("2.00"), Decimal("1.50"), Decimal("0.7500"), "b.txt 第20行", "f.pdf 第18页第6行"),
        ("财政拨款“三公”经费支出表（决算表所列预算数）", "公务接待费", "预算数/决算数", Decimal("2.00"), Decimal("1.50"), Decimal("0.7500"), "f.pdf 第18页第6行", "f.pdf 第18页第6行"),
    ]
    assert table.note is None


def test_rate_needs_a_budget_figure():
    assert rate(Decimal("1"), None) is None and rate(Decimal("1"), Decimal("0")) is None
    assert rate(Decimal("2"), Decimal("3")) == Decimal("0.6667")
