"""The headline figures of a document, as the ``headlines`` table holds them.

Reports and the comparison want 收入合计, 支出合计, 基本支出 … per document; each
scheme prints them in another place (Shanghai has no 本年收入合计, only 收入总计;
Jiangsu's 当年支出小计 stands in its 支出用途 column; the 决算 基本支出表 prints
人员经费合计 as a row). ``parse`` finds them once, where
:mod:`budgetlib.vocab.headlines` declares they stand, and writes the ``headlines``
table (:mod:`budgetlib.extract.headlines`); this module reads it back with a
source text for each figure.

>>> from budgetlib.analysis.figures import headline_figures
>>> headline_figures(data, doc_id)["total_income"]        # doctest: +SKIP
Figure(value=Decimal('37151.4655'), source='sh_pt_swj_2025_dept_budget.pdf 第9页第18行')
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from budgetlib.store.load import Dataset
from budgetlib.vocab.headlines import REPORTS, figures_of
from budgetlib.vocab.sources import cite

#: The figures the reports read from the tables, in order.
FIGURES: tuple[str, ...] = figures_of(REPORTS)


@dataclass(frozen=True)
class Figure:
    value: Decimal | None
    source: str


def _source(doc: dict, row: dict) -> str:
    """Where a headline figure was read, in words (the file and line; how it was derived)."""
    place = cite(doc["source_file"], doc["source_format"], row["source_line"])
    if row["source"] == "prose":
        return place + ("（由文字说明推算）" if row["is_derived"] else "（文字说明）")
    if not row["is_derived"]:
        return place
    if row["table"] is None and row["figure"] == "three_public_total":
        return row["derived_from"]
    return f"由{row['derived_from']}推算（{doc['source_file']}）"


def _figures(data: Dataset, doc_id: str, derived: bool) -> dict[str, Figure]:
    doc = data.documents.filter(pl.col("doc_id") == doc_id).row(0, named=True)
    rows = data.rows_of("headlines", doc_id).to_dicts()
    return {r["figure"]: Figure(r["value"], _source(doc, r)) for r in rows if derived or not r["is_derived"]}


def document_figures(data: Dataset, doc_id: str) -> dict[str, Figure]:
    """Every figure of the ``headlines`` table for one document, printed, stated or derived."""
    return _figures(data, doc_id, derived=True)


def headline_figures(data: Dataset, doc_id: str) -> dict[str, Figure]:
    """The figures the tables print for one document (value None with an empty source when not printed)."""
    printed = _figures(data, doc_id, derived=False)
    return {name: printed.get(name, Figure(None, "")) for name in FIGURES}
