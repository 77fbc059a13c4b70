"""One document's printed numbers as small dicts, for tight per-document checks.

:func:`doc_views` turns the ``line_items`` frame into one :class:`DocView` per
document in a single pass. A cell is addressed by :class:`Ref` (table, 序号,
栏次); a blank cell is simply absent. Column numbers come from the document's
own line items (the 栏次 it printed), falling back to the national layout of
:mod:`budgetlib.vocab.tables`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from typing import NamedTuple

import polars as pl

from budgetlib.vocab.sources import describe_line
from budgetlib.vocab.money import UNIT_TO_WAN
from budgetlib.vocab.tables import TABLES_BY_KEY
from budgetlib.checks.findings import CENT


class Ref(NamedTuple):
    """A cell address. ``row_no`` is None when the row is known only by meaning (never printed)."""

    table: str
    row_no: int | None
    col_no: int


class PrintedAmount(NamedTuple):
    value: Decimal
    source_line: int | None
    #: The printing step of the figure in 万元 (0.01 for a table in 万元, 0.000001 in 元,
    #: the stated precision for a prose figure): it may be off by half of it.
    step: Decimal = CENT


@dataclass(slots=True)
class RowInfo:
    row_no: int
    code: str | None = None
    #: Label per label column: the item text of the amount columns it names.
    items: dict[int, str] = field(default_factory=dict)

    def label(self) -> str:
        return next(iter(self.items.values()), "")


@dataclass(slots=True)
class DocView:
    """The printed cells of one document, and what the checks ask about them."""

    doc_id: str
    source_file: str
    cells: dict[Ref, PrintedAmount] = field(default_factory=dict)
    #: documents.source_format, to name source lines as the reader counts them (PDF: page and line).
    source_format: str | None = None
    rows: dict[str, dict[int, RowInfo]] = field(default_factory=dict)
    #: table -> column key -> 栏次, as printed in this document.
    columns: dict[str, dict[str, int]] = field(default_factory=dict)
    #: Labels of rows known by meaning but never printed (e.g. a blank 三公 row).
    layout_labels: dict[tuple[str, int], str] = field(default_factory=dict)
    #: table -> naming scheme of the layout the table matched (``document_tables.layout``).
    layouts: dict[str, str] = field(default_factory=dict)
    #: Derived facts computed once per document by the checks (e.g. the sides of a 收支总表).
    cache: dict = field(default_factory=dict)

    def place(self, line: int | None) -> str:
        """A source line in words: ``第23行``, or ``第14页第23行`` for a PDF."""
        return describe_line(self.source_format, line) if line is not None else ""

    def value(self, ref: Ref) -> Decimal | None:
        cell = self.cells.get(ref)
        return cell.value if cell else None

    def line(self, ref: Ref) -> int | None:
        cell = self.cells.get(ref)
        return cell.source_line if cell else None

    def col(self, table: str, key: str) -> int | None:
        """The 栏次 of a column key: as printed in this document, else as the layout it matched
        declares it, else (layout unknown) as the national layout declares it; None when the
        document's layout has no such column."""
        no = self.columns.get(table, {}).get(key)
        if no is not None:
            return no
        spec = TABLES_BY_KEY.get(table)
        if spec is None:
            return None
        layout = spec.layout(self.layouts[table]) if table in self.layouts and hasattr(spec, "layout") else None
        columns = layout.columns if layout is not None else spec.columns
        return next((c.no for c in columns if c.key == key and getattr(c, "row", None) is None), None)

    def printed_cols(self, table: str) -> list[int]:
        """The 栏次 of the table that print at least one figure in this document."""
        return sorted(set(self.columns.get(table, {}).values()))

    def table_rows(self, table: str) -> dict[int, RowInfo]:
        return self.rows.get(table, {})

    def label(self, table: str, row_no: int | None, col_no: int | None = None) -> str:
        """The row's label as printed (for the given amount column), else its layout label."""
        if row_no is None:
            return ""
        info = self.rows.get(table, {}).get(row_no)
        if info is None:
            return self.layout_labels.get((table, row_no), "")
        if col_no is not None:
            column = column_of(table, col_no)
            if column and column.item_from and column.item_from in info.items:
                return info.items[column.item_from]
        return info.label()

    def row_line(self, table: str, row_no: int | None) -> int | None:
        """A source line of the row: its first printed cell."""
        if row_no is None:
            return None
        lines = [c.source_line for r, c in self.cells.items() if r.table == table and r.row_no == row_no]
        return min(lines) if lines else None


#: Printing step of a table figure, in 万元, by the unit the table is printed in.
STEP_BY_UNIT = {"万元": CENT, "元": CENT * UNIT_TO_WAN["元"], "千元": CENT * UNIT_TO_WAN["千元"], "亿元": CENT * UNIT_TO_WAN["亿元"]}


def column_of(table: str, col_no: int | None):
    """The declared column with this 栏次 (any layout, the national one first), or None."""
    spec = TABLES_BY_KEY.get(table)
    if spec is None or col_no is None:
        return None
    if hasattr(spec, "column"):
        return spec.column(col_no)
    return next((c for c in spec.columns if c.no == col_no), None)


def doc_views(
    line_items: pl.DataFrame,
    documents: pl.DataFrame,
    units: dict[tuple[str, str], str] | None = None,
    layouts: dict[tuple[str, str], str] | None = None,
) -> Iterator[DocView]:
    """One :class:`DocView` per document (documents without line items get an empty view).

    ``units`` maps (doc_id, table) to the unit the table is printed in (default 万元),
    ``layouts`` to the naming scheme of the layout it matched.
    """
    units = units or {}
    by_doc: dict[str, dict[str, str]] = {}
    for (doc_id, table), scheme in (layouts or {}).items():
        by_doc.setdefault(doc_id, {})[table] = scheme
    files = dict(documents.select("doc_id", "source_file").iter_rows())
    formats = dict(documents.select("doc_id", "source_format").iter_rows())
    cols = ["doc_id", "table", "row_no", "col_no", "code", "item", "column", "value", "source_line"]
    rows = line_items.select(cols).sort(["doc_id", "table", "row_no", "col_no"]).iter_rows()
    seen = set()
    for doc_id, group in groupby(rows, key=lambda r: r[0]):
        view = DocView(doc_id, files.get(doc_id, doc_id), source_format=formats.get(doc_id), layouts=by_doc.get(doc_id, {}))
        _fill(view, group, units)
        seen.add(doc_id)
        yield view
    for doc_id in sorted(set(files) - seen):
        yield DocView(doc_id, files[doc_id], source_format=formats.get(doc_id), layouts=by_doc.get(doc_id, {}))


def _fill(view: DocView, items, units: dict[tuple[str, str], str]) -> None:
    label_col: dict[str, dict[int, int]] = {}
    steps: dict[str, Decimal] = {}
    for _doc, table, row_no, col_no, code, item, column, value, line in items:
        step = steps.get(table)
        if step is None:
            step = steps[table] = STEP_BY_UNIT.get(units.get((view.doc_id, table), "万元"), CENT)
        view.cells[Ref(table, row_no, col_no)] = PrintedAmount(value, line, step)
        view.columns.setdefault(table, {}).setdefault(column, col_no)
        rows = view.rows.setdefault(table, {})
        info = rows.get(row_no)
        if info is None:
            info = rows[row_no] = RowInfo(row_no, code)
        if item:
            labels = label_col.setdefault(table, {})
            if col_no not in labels:
                spec = TABLES_BY_KEY.get(table)
                column = column_of(table, col_no)
                default = next((c.no for c in spec.columns if c.kind == "label"), 0) if spec else 0
                labels[col_no] = (column.item_from if column else None) or default
            info.items.setdefault(labels[col_no], item)
