"""The headline figures of a document, found the same way whatever its naming scheme.

Reports and the comparison want 收入合计, 支出合计, 基本支出 … per document; each
scheme prints them in another place (Shanghai has no 本年收入合计, only 收入总计;
Jiangsu's 当年支出小计 stands in its 支出用途 column; the 决算 基本支出表 prints
人员经费合计 as a row). Where each figure may stand is declared below as data,
tried in order; the first printed cell wins.

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
from budgetlib.vocab.text import canon


@dataclass(frozen=True)
class Lookup:
    """A cell: in ``table``, column ``column`` (one of them), on the row labelled one of
    ``items`` (canonical text; empty: the row without a code labelled 合计), or row ``row_no``."""

    table: str
    columns: tuple[str, ...]
    items: tuple[str, ...] = ("合计",)
    row_no: int | None = None


def _l(table: str, columns: str | tuple[str, ...], items: tuple[str, ...] = ("合计",), row_no: int | None = None) -> Lookup:
    return Lookup(table, (columns,) if isinstance(columns, str) else columns, items, row_no)


#: figure -> where it may stand, tried in order.
FIGURES: dict[str, tuple[Lookup, ...]] = {
    "total_income": (
        _l("income_expense_summary", "income_amount", ("本年收入合计", "当年收入小计")),
        _l("income_expense_summary", "income_amount", ("收入总计", "收入合计")),
    ),
    "total_expenditure": (
        _l("income_expense_summary", ("expenditure_amount", "use_amount"), ("本年支出合计", "当年支出小计")),
        _l("income_expense_summary", ("expenditure_amount", "use_amount"), ("支出总计", "支出合计")),
    ),
    "basic_expenditure": (_l("expenditure", "basic"), _l("expenditure_by_use", "basic", row_no=1)),
    "project_expenditure": (_l("expenditure", "project"), _l("expenditure_by_use", "project", row_no=1)),
    "personnel": (_l("gpb_basic_expenditure", "personnel"), _l("gpb_basic_expenditure", "total", ("人员经费合计",))),
    "public_use": (_l("gpb_basic_expenditure", "public_use"), _l("gpb_basic_expenditure", "total", ("公用经费合计",))),
    # “三公”经费小计 (row 2) before 合计 (row 1): Jiangsu's 合计 also holds 会议费 and 培训费.
    "three_public_total": (_l("three_public", ("total", "gpb"), row_no=2), _l("three_public", ("total", "gpb"), row_no=1)),
}


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    source: str


def _source(doc: dict, line: int | None) -> str:
    return cite(doc["source_file"], doc["source_format"], line)


def _find(items: list[dict], lookup: Lookup) -> dict | None:
    """The row ``lookup`` names among one document's line items (first column of the lookup first)."""
    if lookup.row_no is not None:
        rows = [r for r in items if r["table"] == lookup.table and r["column"] in lookup.columns and r["row_no"] == lookup.row_no]
    else:
        rows = [
            r for r in items
            if r["table"] == lookup.table and r["column"] in lookup.columns
            and r["code"] is None and canon(r["item"] or "") in lookup.items
        ]
    if not rows:
        return None
    order = {c: i for i, c in enumerate(lookup.columns)}
    return min(rows, key=lambda r: (order[r["column"]], r["row_no"]))


def headline_figures(data: Dataset, doc_id: str) -> dict[str, Figure]:
    """Each figure of :data:`FIGURES` for one document (value None with an empty source when not printed)."""
    doc = data.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    # A document has a few hundred line items: plain Python over them beats many small frame filters.
    items = data.rows_of("line_items", doc_id).to_dicts()
    result = {}
    for name, lookups in FIGURES.items():
        hit = next((row for lookup in lookups if (row := _find(items, lookup)) is not None), None)
        result[name] = Figure(hit["value"], _source(doc, hit["source_line"])) if hit else Figure(None, "")
    return result
