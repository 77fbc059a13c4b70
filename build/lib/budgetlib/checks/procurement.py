"""The 政府采购预算表 and the 固定资产占用情况表: their totals.

Both tables join the document's cells as pseudo-tables (:mod:`budgetlib.checks.other_figures`),
so their sums follow the same rounding rule, and the prose figures that restate
them (政府采购预算, 上年末固定资产) are compared by ``prose.vs_table``.
"""
from __future__ import annotations

from collections.abc import Iterator

from budgetlib.checks.other_figures import ASSET_VALUE_COL, ASSETS, PROCUREMENT, PROCUREMENT_COL, QUANTITY_PRICE_COL, extra_cells
from budgetlib.checks.views import Ref
from budgetlib.checks.identity import CELL, COL, ITEM, ROW, Identity
from budgetlib.checks.registry import DocContext, check

#: Columns summed down the table (合计 = Σ 小计 = Σ items) and across it (合计 = Σ sources).
SUMMED = ("total", "gpb", "gov_fund", "soe_capital", "fiscal_special", "unit_funds", "fiscal_carryover",
          "non_fiscal_carryover", "sme_reserved")
SOURCES = ("gpb", "gov_fund", "soe_capital", "fiscal_special", "unit_funds", "fiscal_carryover", "non_fiscal_carryover")


@check("procurement.totals", "identities", "政府采购表合计=各小计=各采购品目之和", needs=(PROCUREMENT,))
def totals(ctx: DocContext) -> Iterator[Identity]:
    """合计 = Σ 小计 (Σ items where no 小计 is printed); each 小计 = Σ the items below it; in
    every amount column; and in every row 合计 = Σ funding sources (一般公共预算拨款 …)."""
    rows = sorted(ctx.rows(PROCUREMENT), key=lambda r: r["row_no"])
    if not rows:
        return
    extra_cells(ctx)
    kinds = {r["row_no"]: r.get("row_kind") for r in rows}
    groups: dict[int, list[int]] = {}
    current = None
    for row_no, kind in kinds.items():
        if kind == "subtotal":
            current = groups.setdefault(row_no, [])
        elif kind == "item" and current is not None:
            current.append(row_no)
    total_rows = [r for r, k in kinds.items() if k == "total"]
    top = list(groups) or [r for r, k in kinds.items() if k == "item"]
    for key in SUMMED:
        col = PROCUREMENT_COL[key]
        for total in total_rows[:1]:
            yield Identity("procurement.totals", Ref(PROCUREMENT, total, col), tuple(Ref(PROCUREMENT, r, col) for r in top),
                           total_style=CELL | ITEM, addend_style=ROW | ITEM)
        for subtotal, items in groups.items():
            yield Identity("procurement.totals", Ref(PROCUREMENT, subtotal, col), tuple(Ref(PROCUREMENT, r, col) for r in items),
                           total_style=CELL | ITEM, addend_style=ROW | ITEM)
    for row_no in kinds:
        yield Identity(
            "procurement.totals",
            Ref(PROCUREMENT, row_no, PROCUREMENT_COL["total"]),
            tuple(Ref(PROCUREMENT, row_no, PROCUREMENT_COL[k]) for k in SOURCES),
            total_style=CELL | ITEM,
            addend_style=COL,
        )


@check("procurement.quantity_price", "identities", "政府采购数量×单价=金额", needs=(PROCUREMENT,))
def quantity_price(ctx: DocContext) -> Iterator[Identity]:
    """Each item: 合计 = 数量 × 单价. The 单价 is rounded, so the product may be off by
    数量 × half its step; with the 合计's own half step that is the bound."""
    extra_cells(ctx)
    for row in ctx.rows(PROCUREMENT):
        product = Ref(PROCUREMENT, row["row_no"], QUANTITY_PRICE_COL)
        if product in ctx.view.cells:
            yield Identity(
                "procurement.quantity_price",
                Ref(PROCUREMENT, row["row_no"], PROCUREMENT_COL["total"]),
                (product,),
                total_style=CELL | ITEM,
                addend_style=COL,
            )


@check("assets.total", "identities", "固定资产合计=各类之和", needs=(ASSETS,))
def asset_total(ctx: DocContext) -> Iterator[Identity]:
    """固定资产占用情况表: the 合计 row equals the sum of the asset classes above it."""
    rows = sorted(ctx.rows(ASSETS), key=lambda r: r["row_no"])
    if not rows:
        return
    extra_cells(ctx)
    parts = [r["row_no"] for r in rows if not r.get("is_total")]
    for total in (r for r in rows if r.get("is_total")):
        yield Identity(
            "assets.total",
            Ref(ASSETS, total["row_no"], ASSET_VALUE_COL),
            tuple(Ref(ASSETS, r, ASSET_VALUE_COL) for r in parts if r < total["row_no"]),
            total_style=CELL | ITEM,
            addend_style=ITEM,
        )
