"""The standard tables (公开表) of a document as printed, for the department workbook.

In: a loaded dataset, a document and a table key. Out: the table in wide form, one
row per printed row, under the Chinese column headers of the document's own layout
(its naming scheme), as a :class:`ReportTable`.
"""
from __future__ import annotations

import polars as pl

from budgetlib.analysis.lookups import table_or_empty
from budgetlib.analysis.report_table import ReportColumn, ReportTable, text_column
from budgetlib.store.load import Dataset
from budgetlib.vocab.concepts import concept_column
from budgetlib.vocab.tables import TABLES_BY_KEY


def standard_table(data: Dataset, doc_id: str, table: str) -> ReportTable:
    """One standard table as printed (wide), with Chinese headers, for the workbook.

    Columns follow the document's own layout (its naming scheme); a table printed
    transposed (Shanghai's 三公 in one row) is shown in the national row form.
    """
    spec = TABLES_BY_KEY[table]
    wide = data.wide(table, doc_id)
    scheme = _scheme(data, doc_id, table)
    layout = spec.layout(scheme)
    columns = layout.columns if layout is not None and not layout.transposed else spec.columns
    if layout is None and (read := _columns_read(data, doc_id, table)):
        # Read by the column vocabulary: the columns as printed (a unit budget's 人员经费 …).
        columns = tuple(c for c in (concept_column(spec, k) for k in read) if c is not None)
    cols = [ReportColumn("序号", "int")]
    keys = ["row_no"]
    for c in columns:
        if c.kind == "amount" and c.key not in wide.columns:
            continue
        if c.kind == "code":
            cols.append(text_column(c.label))
            keys.append("code")
        elif c.kind == "label":
            if c.key not in wide.columns:
                continue
            cols.append(text_column(c.label))
            keys.append(c.key)
        else:
            cols.append(ReportColumn(c.label, "money", in_total=False))
            keys.append(c.key)
    rows = [tuple(r[k] for k in keys) for r in wide.iter_rows(named=True)]
    return ReportTable(spec.name, spec.name, cols, rows)


def _columns_read(data: Dataset, doc_id: str, table: str) -> list[str]:
    """The column keys ``document_tables.columns`` says the table was read with."""
    tables = table_or_empty(data, "document_tables")
    if tables.is_empty() or "columns" not in tables.columns:
        return []
    hit = tables.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == table))
    return (hit["columns"][0] or "").split(",") if hit.height and hit["columns"][0] else []


def _scheme(data: Dataset, doc_id: str, table: str) -> str | None:
    tables = table_or_empty(data, "document_tables")
    if tables.is_empty() or "layout" not in tables.columns:
        return None
    hit = tables.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == table))
    return hit["layout"][0] if hit.height else None
