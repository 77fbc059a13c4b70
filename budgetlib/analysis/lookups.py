"""Looking figures up in a loaded dataset, each with the place it was printed.

In: a :class:`~budgetlib.store.load.Dataset` and a document id (and the table and
column, or the prose fact, asked for). Out: a :class:`~budgetlib.analysis.figures.Figure`
(the value and its source, ``文件 第N行``), a source text (:func:`where`), the main
document of a department, or a ratio. The report tables of
:mod:`budgetlib.analysis` are built from these lookups.
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from budgetlib.analysis.departments import Department
from budgetlib.analysis.figures import Figure
from budgetlib.store.load import PRINTS_TABLES, Dataset, disclosure_groups
from budgetlib.vocab.sources import cite
from budgetlib.vocab.tables import TABLES_BY_KEY
from budgetlib.vocab.text import canon
from budgetlib.vocab.labels import TOTAL

RATIO = Decimal("0.0001")
#: No figure and no source: not printed, or nothing to look in.
NO_FIGURE = Figure(None, "")


def table_or_empty(data: Dataset, name: str) -> pl.DataFrame:
    """A processed table of ``data``, empty when the dataset has none."""
    return data[name] if name in data.names else pl.DataFrame()


def _documents_index(data: Dataset) -> dict[str, tuple[str, str]]:
    """doc_id -> (source_file, source_format), built once per dataset."""
    cache = data.__dict__.setdefault("_analysis_cache", {})
    if "documents" not in cache:
        cache["documents"] = {
            d: (f, fmt) for d, f, fmt in data.documents.select("doc_id", "source_file", "source_format").iter_rows()
        }
    return cache["documents"]


def where(data: Dataset, doc_id: str, line: int | None) -> str:
    """``文件 第N行`` (``第P页第N行`` for PDF): where an auditor finds the figure."""
    file, fmt = _documents_index(data).get(doc_id, (doc_id, None))
    return cite(file, fmt, line)


def main_document(data: Dataset, dept: Department, year: int | None = None) -> str | None:
    """The department's budget (else final-accounts) document for ``year`` (default: latest).

    Of a disclosure published as its text and its tables, the file with the tables: the
    prose facts of the other file are found through :func:`disclosure_documents`."""
    docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids)))
    if year is not None:
        docs = docs.filter(pl.col("fiscal_year") == year)
    docs = docs.with_columns(PRINTS_TABLES.alias("_has_tables"))
    for kind in ("budget", "final_accounts", "performance"):
        hit = docs.filter(pl.col("doc_kind") == kind).sort(["fiscal_year", "_has_tables", "doc_id"], descending=[True, True, False])
        if hit.height:
            return hit["doc_id"][0]
    return None


def disclosure_documents(data: Dataset, doc_id: str) -> list[str]:
    """The files of ``doc_id``'s disclosure (the text and the tables of one department-year), itself first."""
    cache = data.__dict__.setdefault("_analysis_cache", {})
    if "disclosures" not in cache:
        cache["disclosures"] = disclosure_groups(data.documents)
    group = cache["disclosures"].get(doc_id, [doc_id])
    return [doc_id, *(d for d in group if d != doc_id)]


def items_of(data: Dataset, doc_id: str, table: str) -> pl.DataFrame:
    """The line items of one table of a document."""
    return data.line_items.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == table))


def _total_row(items: pl.DataFrame) -> pl.DataFrame:
    """The 合计 row of a subject table: no code, labelled 合计."""
    return items.filter(pl.col("code").is_null() & (pl.col("item").map_elements(canon, return_dtype=pl.String) == TOTAL))


def table_figure(data: Dataset, doc_id: str | None, table: str, column: str, *, item: str | None = None, code: str | None = None) -> Figure:
    """One printed cell: the 合计 row (default), a row by item label, or by code."""
    if doc_id is None:
        return Figure(None, "")
    items = items_of(data, doc_id, table).filter(pl.col("column") == column)
    if code is not None:
        items = items.filter(pl.col("code") == code)
    elif item is not None:
        items = items.filter(pl.col("item").map_elements(canon, return_dtype=pl.String) == canon(item))
    else:
        items = _total_row(items)
    if items.is_empty():
        return Figure(None, f"{TABLES_BY_KEY[table].name}未列示")
    row = items.row(0, named=True)
    return Figure(row["value"], where(data, doc_id, row["source_line"]))


def fact(data: Dataset, doc_id: str | None, name: str, year: int | None = None) -> Figure:
    """A figure the prose states (``narrative_facts.fact == name``, of ``year`` where given)."""
    facts = table_or_empty(data, "narrative_facts")
    if doc_id is None or facts.is_empty():
        return Figure(None, "")
    for owner in disclosure_documents(data, doc_id):  # the prose may be in the disclosure's other file
        hit = facts.filter((pl.col("doc_id") == owner) & (pl.col("fact") == name))
        if year is not None:
            hit = hit.filter(pl.col("year") == year)
        if not hit.is_empty():
            row = hit.row(0, named=True)
            derived = "（由文字说明推算）" if row.get("is_derived") else "（文字说明）"
            return Figure(row["value"], where(data, owner, row["source_line"]) + derived)
    return Figure(None, "")


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    """``part ÷ whole`` to 0.01% (None without a part, or a whole of 0)."""
    if part is None or not whole:
        return None
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_UP)
