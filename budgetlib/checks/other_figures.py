"""Figures outside the nine tables, as cells the identities can use.

The prose figures (``narrative_facts``), the 政府采购预算表 (``procurement``) and the
固定资产占用情况表 (``assets``) join a document's :class:`~budgetlib.checks.views.DocView`
as cells of pseudo-tables, so the prose, procurement and asset checks are
identities like the others: the same rounding rule (each figure off by half
its printing step: 0.01 in the tables, the stated precision in the prose) and
the same locating of a wrong figure across tables and prose.
"""
from __future__ import annotations

from decimal import Decimal

from budgetlib.vocab import facts
from budgetlib.vocab.money import UNIT_TO_WAN
from budgetlib.vocab.small_tables import ASSETS as ASSETS_TABLE, PROCUREMENT as PROCUREMENT_TABLE, money_columns
from budgetlib.vocab.tables import TABLES_BY_KEY
from budgetlib.checks.findings import CENT
from budgetlib.checks.views import PrintedAmount, DocView, Ref
from budgetlib.checks.registry import DocContext

PROSE = "narrative_facts"
PROCUREMENT = "procurement"
ASSETS = "assets"

#: Money columns of the procurement table, numbered as cells: (key, Chinese label).
PROCUREMENT_COLUMNS = money_columns(PROCUREMENT_TABLE)
PROCUREMENT_COL = {key: no for no, (key, _label) in enumerate(PROCUREMENT_COLUMNS, start=1)}
#: A computed cell of each procurement item: 数量 × 单价 (its step: 数量 × the 单价's step).
QUANTITY_PRICE_COL = 0
ASSET_VALUE_COL = 1

#: Pseudo-table -> (Chinese name, {cell column: label}).
PSEUDO_TABLES: dict[str, tuple[str, dict[int, str]]] = {
    PROSE: ("情况说明", {0: ""}),
    PROCUREMENT: (
        PROCUREMENT_TABLE.name,
        {QUANTITY_PRICE_COL: "数量×单价", **{no: label for no, (_k, label) in enumerate(PROCUREMENT_COLUMNS, start=1)}},
    ),
    ASSETS: (ASSETS_TABLE.name, {ASSET_VALUE_COL: dict(money_columns(ASSETS_TABLE))["value"]}),
}

#: Names of the other tables findings may point at.
OTHER_TABLES = {"projects": "项目绩效目标表", "indicators": "绩效指标"}


def table_name(table: str) -> str:
    spec = TABLES_BY_KEY.get(table)
    if spec:
        return spec.name
    return PSEUDO_TABLES[table][0] if table in PSEUDO_TABLES else OTHER_TABLES.get(table, table)


def fact_label(fact: dict) -> str:
    return facts.fact_label(fact["fact"], fact.get("subject"))


def _step(unit: str | None) -> Decimal:
    return CENT * UNIT_TO_WAN.get(unit or "万元", Decimal(1))


def extra_cells(ctx: DocContext) -> None:
    """Add the prose, procurement and asset figures of the document to its view (once)."""
    view = ctx.view
    if view.cache.get("extra_cells"):
        return
    view.cache["extra_cells"] = True
    facts = sorted(ctx.rows(PROSE), key=lambda f: (f.get("source_line") or 0, f["fact"], str(f.get("subject"))))
    view.cache["prose"] = facts
    for i, fact in enumerate(facts, start=1):
        if fact.get("value") is None:
            continue
        step = fact.get("precision") or CENT
        view.cells[Ref(PROSE, i, 0)] = PrintedAmount(fact["value"], fact.get("source_line"), step)
        view.layout_labels[(PROSE, i)] = fact_label(fact)
    for row in ctx.rows(PROCUREMENT):
        step = _step(row.get("unit"))
        for key, no in PROCUREMENT_COL.items():
            if row.get(key) is not None:
                view.cells[Ref(PROCUREMENT, row["row_no"], no)] = PrintedAmount(row[key], row.get("source_line"), step)
        quantity, price = row.get("quantity"), row.get("unit_price")
        if row.get("row_kind") == "item" and quantity is not None and price is not None:
            view.cells[Ref(PROCUREMENT, row["row_no"], QUANTITY_PRICE_COL)] = PrintedAmount(
                quantity * price, row.get("source_line"), max(abs(quantity), Decimal(1)) * step
            )
        view.layout_labels[(PROCUREMENT, row["row_no"])] = row.get("item_name") or row.get("project_name") or ""
    for row in ctx.rows(ASSETS):
        if row.get("value") is not None:
            view.cells[Ref(ASSETS, row["row_no"], ASSET_VALUE_COL)] = PrintedAmount(row["value"], row.get("source_line"))
        view.layout_labels[(ASSETS, row["row_no"])] = row.get("item") or ""


def prose_facts(ctx: DocContext) -> list[tuple[Ref, dict]]:
    """Every prose figure of the document with its cell address."""
    extra_cells(ctx)
    return [(Ref(PROSE, i, 0), f) for i, f in enumerate(ctx.view.cache["prose"], start=1) if f.get("value") is not None]


def describe_extra(view: DocView, ref: Ref, with_table: bool) -> str:
    """How a pseudo-table cell is named in a message."""
    if ref.table == PROSE:
        line = view.line(ref)
        where = f"情况说明{view.place(line)}" if line else "情况说明"
        return f"{where}“{view.layout_labels.get((PROSE, ref.row_no), '')}”"
    name, columns = PSEUDO_TABLES[ref.table]
    label = view.layout_labels.get((ref.table, ref.row_no), "")
    row = f"第{ref.row_no}行" if ref.row_no is not None else ""
    col = columns.get(ref.col_no, "")
    return f"{name if with_table else ''}{row}{f'“{label}”' if label else ''}{col}"
