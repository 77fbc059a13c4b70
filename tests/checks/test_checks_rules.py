"""The rounding rule, blank cells and the dataset-wide rules, on tiny tables built by hand."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl

from budgetlib.checks import REGISTRY, run_checks
from budgetlib.checks.findings import fmt, severity_of, tolerance
from budgetlib.vocab.contract import SCHEMAS
from budgetlib.store.load import Dataset
from budgetlib.vocab.tables import STANDARD_TABLES, TABLES_BY_KEY

D = Decimal


def dataset(line_items=(), documents=None, **tables) -> Dataset:
    """A Dataset from plain rows; tables not given are empty with their contract schema."""
    documents = documents or [doc("d1")]
    # By default each document prints the nine national tables, with the figures given (or empty, with a note).
    tables.setdefault("document_tables", [
        printed(d["doc_id"], spec.key, numbers=sum(1 for i in line_items if i["doc_id"] == d["doc_id"] and i["table"] == spec.key))
        for d in documents for spec in STANDARD_TABLES
    ])
    given = {"line_items": list(line_items), "documents": documents, **tables}
    frames = {}
    for name, schema in SCHEMAS.items():
        empty = pl.from_arrow(schema.empty_table())
        rows = given.get(name)
        frames[name] = pl.DataFrame(rows, schema=empty.schema, orient="row") if rows else empty
    return Dataset(Path("."), frames)


def printed(doc_id, table, unit="万元", line=1, numbers=0):
    """A document_tables row: the table is printed, with ``numbers`` figures (empty: with its note)."""
    return {"doc_id": doc_id, "table": table, "title": table, "data_rows": numbers, "numbers": numbers, "unit": unit,
            "note": None if numbers else "注：本部门无此项预算，空表列示。", "source_line": line}


def doc(doc_id, name="某县总工会", code="711", region="某县", sha=None, source=None, kind="budget", year=2023, unit="万元"):
    return {
        "doc_id": doc_id,
        "source_file": source or f"{doc_id}.txt",
        "sha256": sha or doc_id * 8,
        "source_format": "pdf_text",
        "department_code": code,
        "department_name": name,
        "region": region,
        "fiscal_year": year,
        "doc_kind": kind,
        "source_unit": unit,
    }


def cell(table, row_no, col_no, column, value, code=None, item=None, line=None, doc_id="d1"):
    return {
        "doc_id": doc_id,
        "table": table,
        "row_no": row_no,
        "col_no": col_no,
        "code": code,
        "item": item,
        "column": column,
        "value": D(value),
        "source_line": line or 100 + row_no,
    }


def gpb_row(row_no, code, item, total, basic=None, project=None):
    cells = [cell("gpb_expenditure", row_no, 3, "total", total, code, item)]
    if basic is not None:
        cells.append(cell("gpb_expenditure", row_no, 4, "basic", basic, code, item))
    if project is not None:
        cells.append(cell("gpb_expenditure", row_no, 5, "project", project, code, item))
    return cells


def checks_of(findings):
    return sorted((f.check, f.severity, f.table, f.row_no, f.col_no) for f in findings)


def test_tolerance_counts_every_printed_figure():
    assert tolerance(2) == D("0.01")
    assert tolerance(3) == D("0.015")
    assert severity_of(D("0.015"), tolerance(3)) == "rounding"
    assert severity_of(D("0.02"), tolerance(3)) == "error"
    assert severity_of(D("0"), tolerance(3)) is None


def test_fmt_keeps_two_decimals_and_no_float():
    assert fmt(D("72.700000")) == "72.70"
    assert fmt(D("0.015")) == "0.015"
    assert fmt(None) == "空白"


def test_one_cent_over_three_figures_is_rounding():
    items = gpb_row(1, None, "合计", "41.93", "25.18", "16.76") + gpb_row(2, "201", "一般公共服务支出", "41.93", "25.18", "16.76")
    findings = run_checks(dataset(items))
    assert checks_of(findings) == [
        ("rows.total_parts", "rounding", "gpb_expenditure", 1, 3),
        ("rows.total_parts", "rounding", "gpb_expenditure", 2, 3),
    ]
    f = findings[0]
    assert (f.expected, f.actual, f.difference, f.tolerance) == (D("41.94"), D("41.93"), D("-0.01"), D("0.015"))
    assert f.message == (
        "一般公共预算财政拨款支出表第1行合计41.93与基本支出25.18+项目支出16.76=41.94相差0.01，在四舍五入误差范围内（±0.015）"
    )


def test_blank_addends_do_not_count_towards_the_bound():
    # 10.01 against a single printed part 10.00: n = 2, bound 0.01 -> rounding; 10.02 -> error.
    ok = gpb_row(1, None, "合计", "10.01", "10.00") + gpb_row(2, "201", "x", "10.01", "10.00")
    assert {f.severity for f in run_checks(dataset(ok))} == {"rounding"}
    bad = gpb_row(1, None, "合计", "10.02", "10.00") + gpb_row(2, "201", "x", "10.02", "10.00")
    assert {(f.check, f.severity, f.row_no) for f in run_checks(dataset(bad))} == {
        ("rows.total_parts", "error", 1),
        ("rows.total_parts", "error", 2),
    }


def test_blank_parent_is_an_error_at_the_parent_when_the_totals_confirm_the_children():
    # Like seed 002: 小计 0.16, 公务用车购置及运维费 blank, 公务用车运行维护费 0.16.
    items = [
        cell("three_public", 1, 2, "total", "0.16", item="合计"),
        cell("three_public", 2, 2, "total", "0.16", item="“三公”经费小计"),
        cell("three_public", 8, 2, "total", "0.16", item="公务用车运行维护费", line=77),
    ]
    findings = run_checks(dataset(items))
    assert [(f.check, f.severity, f.table, f.row_no, f.col_no, f.source_line) for f in findings] == [
        ("three_public.parts", "error", "three_public", 6, 2, 77)
    ]
    assert findings[0].expected == D("0.16") and findings[0].actual is None
    assert "公务用车购置及运维费" in findings[0].message and "空白" in findings[0].message


def test_blank_cells_that_sum_to_nothing_are_zero():
    items = [
        cell("three_public", 1, 2, "total", "0.09", item="合计"),
        cell("three_public", 2, 2, "total", "0.09", item="“三公”经费小计"),
        cell("three_public", 9, 2, "total", "0.09", item="三、公务接待费"),
    ]
    assert run_checks(dataset(items)) == []


def test_summary_line_matched_to_class_by_name():
    summary = [
        cell("income_expense_summary", 1, 4, "expenditure_amount", "5.00", item="一、一般公共服务支出"),
        cell("income_expense_summary", 20, 4, "expenditure_amount", "3.00", item="二十、住房保障支出"),
        cell("income_expense_summary", 32, 4, "expenditure_amount", "8.00", item="本年支出合计"),
    ]
    expenditure = [
        cell("expenditure", 1, 3, "total", "8.00", item="合计"),
        cell("expenditure", 2, 3, "total", "5.00", "201", "一般公共服务支出"),
        cell("expenditure", 3, 3, "total", "3.00", "221", "住房保障支出"),
    ]
    assert run_checks(dataset(summary + expenditure)) == []
    # A class printed in 支出总表 that 收支总表 does not list.
    extra = [cell("expenditure", 4, 3, "total", "1.00", "208", "社会保障和就业支出")]
    fixed_total = [dict(expenditure[0], value=D("9.00"))]
    findings = run_checks(dataset(summary + fixed_total + expenditure[1:] + extra))
    assert ("cross.summary_class", "error", "expenditure", 4, 3) in checks_of(findings)


def test_three_public_above_economic_line_is_info_below_is_error():
    def basic(value):
        return [
            cell("gpb_basic_expenditure", 1, 3, "total", value, item="合计"),
            cell("gpb_basic_expenditure", 1, 5, "public_use", value, item="合计"),
            cell("gpb_basic_expenditure", 2, 3, "total", value, "302", "商品和服务支出"),
            cell("gpb_basic_expenditure", 2, 5, "public_use", value, "302", "商品和服务支出"),
            cell("gpb_basic_expenditure", 3, 3, "total", value, "30217", "公务接待费"),
            cell("gpb_basic_expenditure", 3, 5, "public_use", value, "30217", "公务接待费"),
        ]

    three = [
        cell("three_public", r, c, k, "0.50", item=i)
        for r, i in [(1, "合计"), (2, "“三公”经费小计"), (9, "三、公务接待费")]
        for c, k in [(2, "total"), (3, "gpb")]
    ]
    above = run_checks(dataset(three + basic("0.30")))
    assert checks_of(above) == [("three_public.vs_economic_30217", "info", "three_public", 9, 3)]
    below = run_checks(dataset(three + basic("0.70")))
    assert checks_of(below) == [("three_public.vs_economic_30217", "error", "three_public", 9, 3)]
    assert below[0].difference == D("-0.20")


def test_missing_table_and_empty_table():
    present = [printed("d1", t) for t in TABLES_BY_KEY if t != "soe_capital_expenditure"]
    findings = run_checks(dataset(document_tables=present))
    assert checks_of(findings) == [("completeness.missing_table", "warning", "soe_capital_expenditure", None, None)]
    performance_only = run_checks(dataset(documents=[doc("d1", kind="performance")], document_tables=[]))
    assert performance_only == []


def test_the_text_and_the_tables_of_one_disclosure_are_not_duplicates():
    """A department-year published as its text (no table: no unit) and its tables is one
    disclosure; a second file with tables of the same department-year is a duplicate."""
    text, tables, tables_again = doc("t", unit=None), doc("u"), doc("v")
    assert not [f for f in run_checks(dataset(documents=[text, tables])) if f.check == "consistency.duplicate_document"]
    again = [f.doc_id for f in run_checks(dataset(documents=[text, tables, tables_again])) if f.check == "consistency.duplicate_document"]
    assert again == ["v"]


def test_same_document_twice_and_department_under_two_names():
    docs = [
        doc("a", sha="same", source="a.txt"),
        doc("b", sha="same", source="b.txt"),
        doc("c", name="某县总工会机关", source="c.txt", year=2022),
        doc("e", name="某县总工会", code="712", region="某县", source="e.txt", year=2021),
    ]
    findings = run_checks(dataset(documents=docs))
    got = {(f.doc_id, f.check) for f in findings}
    assert ("b", "consistency.duplicate_document") in got
    assert ("a", "consistency.duplicate_document") not in got
    # 711 under two names (a/b vs c), and 某县总工会 under two codes (711 vs 712).
    assert {d for d, c in got if c == "consistency.department_names"} == {"a", "b", "c", "e"}
    assert all(f.severity == "warning" for f in findings)


def test_mixed_units_in_one_document():
    tables = [printed("d1", t, u, i) for i, (t, u) in enumerate([("income", "元"), ("expenditure", "元"), ("three_public", "万元")])]
    findings = [f for f in run_checks(dataset(document_tables=tables)) if f.check == "consistency.units"]
    assert [(f.severity, f.table, f.source_line) for f in findings] == [("warning", "three_public", 2)]


def test_registry_ids_are_stable_and_documented():
    for check_id, check in REGISTRY.items():
        family, _, rule = check_id.partition(".")
        assert family and rule and check.doc, check_id


def fact(name, value, line=10, precision="0.01", subject=None, year=2023, derived=False, part_of=None):
    return {"doc_id": "d1", "fact": name, "year": year, "value": D(value), "unit": "万元",
            "precision": D(precision), "subject": subject, "part_of": part_of, "is_derived": derived,
            "text": f"{name} {value}", "source_line": line}


def basic_table(public_use):
    return [
        cell("gpb_basic_expenditure", 1, 3, "total", public_use, item="合计"),
        cell("gpb_basic_expenditure", 1, 5, "public_use", public_use, item="合计"),
        cell("gpb_basic_expenditure", 2, 3, "total", public_use, "302", "商品和服务支出"),
        cell("gpb_basic_expenditure", 2, 5, "public_use", public_use, "302", "商品和服务支出"),
    ]


def test_prose_at_its_own_precision():
    fine = run_checks(dataset(basic_table("552.18"), narrative_facts=[fact("public_use", "552", precision="1")]))
    assert fine == []
    off = run_checks(dataset(basic_table("552.18"), narrative_facts=[fact("public_use", "551", precision="1")]))
    assert [(f.check, f.severity, f.table, f.row_no, f.col_no, f.source_line, f.tolerance) for f in off] == [
        ("prose.vs_table", "error", "gpb_basic_expenditure", 1, 5, 10, D("0.505"))
    ]


def test_operating_cost_above_public_use_is_an_error_below_is_info():
    above = run_checks(dataset(basic_table("11.49"), narrative_facts=[fact("operating_cost", "12.49")]))
    assert [(f.check, f.severity) for f in above] == [("prose.operating_cost", "error")]
    below = run_checks(dataset(basic_table("11.49"), narrative_facts=[fact("operating_cost", "10.00")]))
    assert [(f.check, f.severity, f.difference) for f in below] == [("prose.operating_cost", "info", D("-1.49"))]
    rounded = run_checks(dataset(basic_table("3.39"), narrative_facts=[fact("operating_cost", "3.4", precision="0.1")]))
    assert rounded == []


def test_partial_lists_may_fall_short_but_not_exceed():
    items = [fact("operating_cost", "10.00"), fact("operating_cost_item", "6.00", subject="办公费"),
             fact("operating_cost_item", "3.00", subject="差旅费")]
    assert [f for f in run_checks(dataset(narrative_facts=items)) if f.check == "prose.items"] == []
    items.append(fact("operating_cost_item", "2.00", subject="邮电费"))
    found = [f for f in run_checks(dataset(narrative_facts=items)) if f.check == "prose.items"]
    assert [(f.severity, f.expected, f.actual) for f in found] == [("error", D("11.00"), D("10.00"))]


def test_cost_indicators_above_project_money():
    projects = [{"doc_id": "d1", "project_no": 1, "project_name": "甲项目", "project_code": None,
                 "budget": D("2.00"), "budget_fiscal": None, "purpose": None, "spending_plan": None,
                 "goal": None, "is_classified": False, "indicator_count": 2, "source_line": 50}]

    def indicator(no, text, value, unit, op="<=", level3="费用控制数"):
        return {"doc_id": "d1", "project_no": 1, "indicator_no": no, "level1": "产出指标", "level2": "成本指标",
                "level3": level3, "description": level3, "target_text": text, "target_op": op,
                "target_value": D(value), "target_unit": unit, "basis": None, "source_line": 50 + no}

    ok = [indicator(1, "≤1万元", "1", "万元"), indicator(2, "≤500元/人", "500", "元/人", level3="人均标准")]
    assert run_checks(dataset(projects=projects, indicators=ok)) == []
    over = ok + [indicator(3, "≤15000元", "15000", "元")]
    found = run_checks(dataset(projects=projects, indicators=over))
    assert [(f.check, f.severity, f.row_no, f.source_line) for f in found] == [
        ("targets.cost_exceeds_budget", "warning", 1, 51)
    ]
    assert "2.50万元" in found[0].message


def test_prose_of_another_year_inside_the_document():
    found = run_checks(dataset(narrative_facts=[fact("total_income", "5.00", year=2024, line=7)]))
    assert [(f.check, f.severity, f.source_line) for f in found] == [("consistency.fiscal_year", "warning", 7)]
