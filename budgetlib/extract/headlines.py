"""The ``headlines`` table: a document's headline figures, found wherever its scheme prints them.

In: the records the other extractors made of one document (``line_items``,
``narrative_facts``, ``document_tables``). Out: one row per figure (收入合计, 支出合计,
基本支出, 项目支出, 人员经费, 公用经费, 三公经费, 机关运行经费) with its value, the cell or
prose line it was read from, and whether it was printed or derived:

- printed: the first place of :mod:`budgetlib.vocab.headlines` that prints it;
- 人员经费 = 301 + 303 and 公用经费 = 302 + 310 of the basic-expenditure table, when
  that table prints one amount column (Jiangsu): derived, with the rows summed;
- 三公经费 = 0 when the 三公 table is printed empty (空表列示): derived;
- 机关运行经费 as the prose states it, else from a table that prints it (Jiangsu 公开11表).

The reports and the comparison read this table (:mod:`budgetlib.analysis.figures`).
"""
from __future__ import annotations

from decimal import Decimal

from budgetlib.vocab.headlines import REPORTS, ROW_NO, TOTAL_ROW, Place, figures_of, places
from budgetlib.vocab.labels import TABLE_TOTALS
from budgetlib.vocab.sources import describe_line
from budgetlib.vocab.text import canon

#: The figures of the table, in order: those the reports look up in the tables, then 机关运行经费.
FIGURES: tuple[str, ...] = (*figures_of(REPORTS), "operating_cost")

#: Where a basic-expenditure table prints no 人员经费/公用经费 columns (Jiangsu), they are the
#: sums of these economic classes, as DOMAIN.md describes them.
BY_ECONOMIC_CLASS = {"personnel": ("301", "303"), "public_use": ("302", "310")}


def _rows_of(items: list[dict], place: Place) -> list[dict]:
    """The line items of ``place``'s table and columns on the row it names."""
    rows = [r for r in items if r["table"] == place.table and r["column"] in place.columns]
    if place.row == ROW_NO:
        return [r for r in rows if r["row_no"] == place.row_no]
    wanted = TABLE_TOTALS if place.row == TOTAL_ROW else place.labels
    return [r for r in rows if r["code"] is None and canon(r["item"] or "") in wanted]


def find(items: list[dict], place: Place) -> dict | None:
    """The row ``place`` names among one document's line items (first column of the place first)."""
    rows = _rows_of(items, place)
    if not rows:
        return None
    order = {c: i for i, c in enumerate(place.columns)}
    return min(rows, key=lambda r: (order[r["column"]], r["row_no"]))


def _row(doc_id: str, figure: str, value: Decimal, *, item: dict | None = None, line: int | None = None,
         source: str = "table", derived_from: str | None = None) -> dict:
    return {
        "doc_id": doc_id,
        "figure": figure,
        "value": value,
        "source": source,
        "table": item["table"] if item else None,
        "row_no": item["row_no"] if item else None,
        "col_no": item["col_no"] if item else None,
        "source_line": item["source_line"] if item else line,
        "is_derived": derived_from is not None,
        "derived_from": derived_from,
    }


def _economic_sum(doc_id: str, figure: str, items: list[dict], source_format: str) -> dict | None:
    codes = BY_ECONOMIC_CLASS[figure]
    rows = [r for r in items if r["table"] == "gpb_basic_expenditure" and r["column"] == "total" and r["code"] in codes]
    if not rows:
        return None
    parts = "、".join(f"{r['code']} {describe_line(source_format, r['source_line'])}" for r in rows)
    value = sum((r["value"] for r in rows), Decimal(0))
    return _row(doc_id, figure, value, line=rows[0]["source_line"], source="table", derived_from=f"经济分类 {parts}")


def _three_public_empty(doc_id: str, tables: list[dict]) -> dict | None:
    printed = [t for t in tables if t["table"] == "three_public"]
    if len(printed) == 1 and printed[0]["numbers"] == 0:
        return _row(doc_id, "three_public_total", Decimal(0), line=printed[0]["source_line"], derived_from="“三公”经费表空表列示")
    return None


def _operating_cost(doc_id: str, items: list[dict], facts: list[dict]) -> dict | None:
    stated = [f for f in facts if f["fact"] == "operating_cost"]
    if stated:
        fact = min(stated, key=lambda f: (f["year"] or 0, f["subject"] or "", f["source_line"] or 0, f["value"]))
        source = "prose"
        return _row(doc_id, "operating_cost", fact["value"], line=fact["source_line"], source=source,
                    derived_from="由文字说明推算" if fact.get("is_derived") else None)
    place = Place("operating_cost_expenditure", ("total",))
    item = find(items, place)
    return _row(doc_id, "operating_cost", item["value"], item=item) if item else None


def headline_records(doc_id: str, source_format: str, records: dict[str, list[dict]]) -> list[dict]:
    """The ``headlines`` rows of one document from its other records."""
    items = records.get("line_items", [])
    found = []
    for figure in figures_of(REPORTS):
        hit = next((row for place in places(figure, REPORTS) if (row := find(items, place)) is not None), None)
        if hit is not None:
            found.append(_row(doc_id, figure, hit["value"], item=hit))
        elif figure in BY_ECONOMIC_CLASS:
            found.append(_economic_sum(doc_id, figure, items, source_format))
        elif figure == "three_public_total":
            found.append(_three_public_empty(doc_id, records.get("document_tables", [])))
    found.append(_operating_cost(doc_id, items, records.get("narrative_facts", [])))
    return [row for row in found if row is not None]
