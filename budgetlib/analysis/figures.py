"""The headline figures of a document, found the same way whatever its naming scheme.

Reports and the comparison want 收入合计, 支出合计, 基本支出 … per document; each
scheme prints them in another place (Shanghai has no 本年收入合计, only 收入总计;
Jiangsu's 当年支出小计 stands in its 支出用途 column; the 决算 基本支出表 prints
人员经费合计 as a row). Where each figure may stand is declared once, as data, in
:mod:`budgetlib.vocab.headlines` (the prose check reads it too); its places are
tried in order and the first printed cell wins.

>>> from budgetlib.analysis.figures import headline_figures
>>> headline_figures(data, doc_id)["total_income"]        # doctest: +SKIP
Figure(value=Decimal('37151.4655'), source='sh_pt_swj_2025_dept_budget.pdf 第9页第18行')
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from budgetlib.vocab.sources import cite
from budgetlib.store.load import Dataset
from budgetlib.vocab.headlines import REPORTS, ROW_NO, TOTAL_ROW, Place, figures_of, places
from budgetlib.vocab.labels import TABLE_TOTALS
from budgetlib.vocab.text import canon

#: The figures the reports show, in order.
FIGURES: tuple[str, ...] = figures_of(REPORTS)


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    source: str


def _source(doc: dict, line: int | None) -> str:
    return cite(doc["source_file"], doc["source_format"], line)


def _rows_of(items: list[dict], place: Place) -> list[dict]:
    """The line items of ``place``'s table and columns on the row it names."""
    rows = [r for r in items if r["table"] == place.table and r["column"] in place.columns]
    if place.row == ROW_NO:
        return [r for r in rows if r["row_no"] == place.row_no]
    wanted = TABLE_TOTALS if place.row == TOTAL_ROW else place.labels
    return [r for r in rows if r["code"] is None and canon(r["item"] or "") in wanted]


def _find(items: list[dict], place: Place) -> dict | None:
    """The row ``place`` names among one document's line items (first column of the place first)."""
    rows = _rows_of(items, place)
    if not rows:
        return None
    order = {c: i for i, c in enumerate(place.columns)}
    return min(rows, key=lambda r: (order[r["column"]], r["row_no"]))


def headline_figures(data: Dataset, doc_id: str) -> dict[str, Figure]:
    """Each headline figure of the reports for one document (value None with an empty source when not printed)."""
    doc = data.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    # A document has a few hundred line items: plain Python over them beats many small frame filters.
    items = data.rows_of("line_items", doc_id).to_dicts()
    result = {}
    for name in FIGURES:
        hit = next((row for place in places(name, REPORTS) if (row := _find(items, place)) is not None), None)
        result[name] = Figure(hit["value"], _source(doc, hit["source_line"])) if hit else Figure(None, "")
    return result
