"""The 数据来源 section of every report: which documents it is built from, by which version, when.

In: a loaded dataset and the documents of a report. Out: a :class:`ReportTable` of
the source files with their SHA-256, format, year and kind, its note naming the
budgetlib version and the run time (:func:`run_time`, also written into workbooks).
"""
from __future__ import annotations

from datetime import datetime, timezone

import polars as pl

from budgetlib import __version__
from budgetlib.analysis.report_table import ReportTable, text_column
from budgetlib.store.load import Dataset


def sources(data: Dataset, doc_ids: list[str]) -> ReportTable:
    """The documents a report is built from, with their hashes, and the run's version and time."""
    docs = data.documents.filter(pl.col("doc_id").is_in(doc_ids)).sort("fiscal_year", "source_file")
    rows = [
        (d["source_file"], d["sha256"], d["source_format"], str(d["fiscal_year"] or ""), d["doc_kind"])
        for d in docs.iter_rows(named=True)
    ]
    table = ReportTable(
        "来源",
        "数据来源",
        [text_column("文件"), text_column("SHA-256"), text_column("文本格式"), text_column("年度"), text_column("类型")],
        rows,
        unit="",
    )
    table.note = f"budgetlib {__version__}；生成时间 {run_time()}"
    return table


def run_time() -> str:
    return datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")
