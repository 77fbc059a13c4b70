"""Every printed number of the nine tables, against values read by hand.

The expected files in tests/expected/line_items/ were transcribed from the
documents by a person reading them, independently of the parser.
"""
from __future__ import annotations

import csv
from decimal import Decimal

import polars as pl
import pytest

from conftest import EXPECTED, SEEDS


def expected_cells(seed: str) -> set[tuple[str, int, int, Decimal]]:
    with open(EXPECTED / "line_items" / f"{seed}.tsv", encoding="utf-8") as fh:
        return {
            (r["table"], int(r["row_no"]), int(r["col_no"]), Decimal(r["value"]))
            for r in csv.DictReader(fh, delimiter="\t")
        }


def parsed_cells(data, seed: str) -> set[tuple[str, int, int, Decimal]]:
    doc_id = data.documents.filter(pl.col("source_file") == SEEDS[seed])["doc_id"].item()
    rows = data.line_items.filter(pl.col("doc_id") == doc_id).select("table", "row_no", "col_no", "value").rows()
    assert len(rows) == len(set(rows)), "a cell appears twice"
    return set(rows)


@pytest.mark.parametrize("seed", ["000", "001", "002", "003"])
def test_every_printed_number_and_nothing_else(data, seed):
    expected, parsed = expected_cells(seed), parsed_cells(data, seed)
    assert sorted(expected - parsed) == [], "numbers in the document missing from line_items"
    assert sorted(parsed - expected) == [], "line_items holds numbers the document does not print"


def test_862_numbers_in_all(data):
    assert sum(len(expected_cells(s)) for s in ["000", "001", "002", "003"]) == 862
    budget_docs = data.documents.filter(pl.col("doc_kind") == "budget")["doc_id"]
    assert data.line_items.filter(pl.col("doc_id").is_in(budget_docs.implode())).height == 862


def test_values_are_exact_decimals(data):
    assert data.line_items.schema["value"] == pl.Decimal(18, 6)
    total = data.line_items.filter(
        (pl.col("table") == "income_expense_summary") & (pl.col("row_no") == 34) & (pl.col("col_no") == 2)
    )["value"].to_list()
    assert sorted(total) == sorted([Decimal("299.54"), Decimal("1718.93"), Decimal("552.18"), Decimal("89.45")])


def test_codes_items_columns_and_source_lines(data):
    doc = data.documents.filter(pl.col("source_file") == SEEDS["000"])["doc_id"].item()
    row = data.line_items.filter(
        (pl.col("doc_id") == doc) & (pl.col("table") == "gpb_basic_expenditure") & (pl.col("row_no") == 20)
    ).sort("col_no")
    # 20	30217	公务接待费	0.09		0.09  — line 312 of the document
    assert row.select("code", "item", "column", "value", "source_line").rows() == [
        ("30217", "公务接待费", "total", Decimal("0.09"), 312),
        ("30217", "公务接待费", "public_use", Decimal("0.09"), 312),
    ]
    summary = data.line_items.filter(
        (pl.col("doc_id") == doc) & (pl.col("table") == "income_expense_summary") & (pl.col("row_no") == 1)
    ).sort("col_no")
    assert summary.select("item", "column", "code").rows() == [
        ("一、一般公共预算拨款收入", "income_amount", None),
        ("一、一般公共服务支出", "expenditure_amount", None),
    ]


def test_word_shape_source_line_points_at_the_cell(data):
    doc = data.documents.filter(pl.col("source_file") == SEEDS["002"])["doc_id"].item()
    cell = data.line_items.filter(
        (pl.col("doc_id") == doc) & (pl.col("table") == "three_public") & (pl.col("row_no") == 8) & (pl.col("col_no") == 2)
    )
    # line 1479 holds "\t0.16", the 合计 of 公务用车运行维护费
    assert cell.select("item", "value", "source_line").rows() == [("公务用车运行维护费", Decimal("0.16"), 1479)]
