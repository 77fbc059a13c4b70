"""The small tables of the 情况说明 (procurement, fixed assets): names, titles and columns.

The 部门政府采购预算 table and the 部门固定资产占用情况表 are read by
:mod:`budgetlib.extract.small_tables` into the ``procurement`` and ``assets`` tables of
the contract, and their figures are cells of pseudo-tables for the checks
(:mod:`budgetlib.checks.other_figures`), which name the table and each money column in
messages. Both use this one declaration: per table its name, the titles it is printed
under and its columns in printed order (key, header label, kind). Plain data, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TableLayout:
    """A small table of the 情况说明: its name, titles and columns in printed order."""

    name: str
    titles: tuple[str, ...]
    #: (key, header label, kind) per printed column; kind is "text", "money" or "number".
    columns: tuple[tuple[str, str, str], ...]


PROCUREMENT = TableLayout(
    name="政府采购预算表",
    titles=("部门政府采购预算", "部门政府采购预算表", "政府采购预算表", "政府采购支出预算表"),
    columns=(
        ("project_name", "项目名称", "text"),
        ("project_budget", "预算资金", "money"),
        ("item_name", "采购物品名称", "text"),
        ("catalog_code", "政府采购目录序号", "text"),
        ("measure_unit", "计量单位", "text"),
        ("quantity", "数量", "number"),
        ("unit_price", "单价", "money"),
        ("total", "合计", "money"),
        ("gpb", "一般公共预算拨款", "money"),
        ("gov_fund", "基金预算拨款", "money"),
        ("soe_capital", "国有资本经营预算拨款", "money"),
        ("fiscal_special", "财政专户核拨", "money"),
        ("unit_funds", "单位资金", "money"),
        ("fiscal_carryover", "财政拨款结转", "money"),
        ("non_fiscal_carryover", "非财政拨款结转结余", "money"),
        ("sme_reserved", "预留中小微企业份额", "money"),
    ),
)

ASSETS = TableLayout(
    name="固定资产占用情况表",
    titles=("部门固定资产占用情况表", "固定资产占用情况表", "部门国有资产占用情况表"),
    columns=(("item", "项目", "text"), ("quantity", "数量", "number"), ("value", "价值", "money")),
)


def money_columns(layout: TableLayout) -> list[tuple[str, str]]:
    """(key, header label) of the money columns of a small table, in printed order."""
    return [(key, label) for key, label, kind in layout.columns if kind == "money"]
