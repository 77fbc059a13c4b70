"""The “三公” sections of a department report: this year's figures by category, and the trend.

In: a loaded dataset and a document (or a department, for the trend). Out: the printed
三公 rows by meaning (:func:`three_public_figures`), the 三公 table of the report with
last year's figures and the change stated in the prose (:func:`three_public`), and the
三公 total by year (:func:`three_public_trend`), each figure with its source.
A 三公 table printed empty counts as zero (:func:`printed_empty`).
"""
from __future__ import annotations

from decimal import Decimal

import polars as pl

from budgetlib.analysis.departments import Department
from budgetlib.analysis.figures import Figure
from budgetlib.analysis.lookups import fact, items_of, table_or_empty, where
from budgetlib.analysis.report_table import ReportTable, money_column, text_column
from budgetlib.store.load import Dataset
from budgetlib.vocab.tables import THREE_PUBLIC_ITEMS, three_public_key
from budgetlib.vocab.facts import change_key, prior_key


def three_public_figures(data: Dataset, doc_id: str | None) -> dict[str, Figure]:
    """The printed 三公 rows of a document (合计 column) by meaning."""
    if doc_id is None:
        return {}
    result: dict[str, Figure] = {}
    printed = items_of(data, doc_id, "three_public")
    column = "total" if (printed["column"] == "total").any() else "gpb"
    for r in printed.filter(pl.col("column") == column).iter_rows(named=True):
        key = three_public_key(r["item"])
        if key and key not in result:
            result[key] = Figure(r["value"], where(data, doc_id, r["source_line"]))
    if "total" not in result and "subtotal" in result:
        result["total"] = result["subtotal"]
    return result


_SHOWN_PARTS = ["total", "subtotal", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training"]
#: Shown only when printed: Hebei's 合计 equals its 小计; Jiangsu adds 会议费 and 培训费 to its 合计.
_OPTIONAL_PARTS = {"subtotal", "meeting", "training"}


def three_public(data: Dataset, doc_id: str | None, year: int | None) -> ReportTable:
    """三公经费 by category: this year's table, last year's and the change from the prose."""
    figures = three_public_figures(data, doc_id)
    empty_table = printed_empty(data, doc_id)
    rows = []
    for key in _SHOWN_PARTS:
        label = THREE_PUBLIC_ITEMS[key][0]
        fig = figures.get(key)
        same_as_total = key == "subtotal" and fig is not None and "total" in figures and fig.value == figures["total"].value
        if key in _OPTIONAL_PARTS and (fig is None or same_as_total):
            continue
        if fig is not None:
            value, source = fig.value, fig.source
        elif empty_table:
            value, source = Decimal(0), "空表列示"
        else:
            value, source = None, "表中空白" if doc_id else ""
        prior = fact(data, doc_id, prior_key(f"three_public_{key}"), (year - 1) if year else None)
        change = fact(data, doc_id, change_key(f"three_public_{key}"))
        rows.append((label, value, prior.value, change.value, source, prior.source or change.source))
    cols = [text_column("类别"), money_column("本年预算"), money_column("上年"), money_column("增减"), text_column("本年来源"), text_column("上年来源")]
    return ReportTable("三公经费", "“三公”经费（财政拨款）", cols, rows)


def printed_empty(data: Dataset, doc_id: str | None) -> bool:
    """Whether the document prints its 三公 table with no figures at all (all zero)."""
    tables = table_or_empty(data, "document_tables")
    if doc_id is None or tables.is_empty():
        return False
    hit = tables.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == "three_public"))
    return hit.height == 1 and hit["numbers"].item() == 0


def three_public_trend(data: Dataset, dept: Department) -> ReportTable:
    """三公 total by year: printed tables of every loaded year, and prior years from the prose."""
    by_year: dict[int, tuple[Decimal | None, str]] = {}
    docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids)) & (pl.col("doc_kind") != "performance"))
    for doc in docs.sort("fiscal_year").iter_rows(named=True):
        year = doc["fiscal_year"]
        prior = fact(data, doc["doc_id"], prior_key("three_public_total"))
        if year and prior.value is not None and (year - 1) not in by_year:
            by_year[year - 1] = (prior.value, prior.source)
        printed = three_public_figures(data, doc["doc_id"])
        fig = printed.get("subtotal") or printed.get("total")
        if year and fig is not None:
            by_year[year] = (fig.value, fig.source)
        elif year and printed_empty(data, doc["doc_id"]):
            by_year[year] = (Decimal(0), "空表列示")
    rows = [(str(y), v, s) for y, (v, s) in sorted(by_year.items())]
    return ReportTable("三公趋势", "“三公”经费合计的年度变化", [text_column("年度"), money_column("合计"), text_column("来源")], rows)
