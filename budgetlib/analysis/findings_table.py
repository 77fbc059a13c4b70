"""The audit findings of a department report: the table of findings, and their counts.

In: a loaded dataset (its ``findings`` table, written by ``budgetlib check``) and the
documents to report on. Out: :func:`findings`, every finding errors first, each with
its table, row, column and source line, as a :class:`ReportTable`;
:func:`finding_counts`, how many findings of each severity.
"""
from __future__ import annotations

import polars as pl

from budgetlib.analysis.lookups import table_or_empty, where
from budgetlib.analysis.report_table import ReportColumn, ReportTable, text_column
from budgetlib.store.load import Dataset
from budgetlib.store.reviews import CLOSED, STATUSES, ID_COLUMN, NOTE_COLUMN, REVIEWER_COLUMN, STATUS_COLUMN, UNREVIEWED, review_of
from budgetlib.vocab.contract import SEVERITY_LABELS
from budgetlib.vocab.tables import TABLES_BY_KEY

SEVERITY_ORDER = {"error": 0, "warning": 1, "rounding": 2, "info": 3}


def findings(data: Dataset, doc_ids: list[str]) -> ReportTable:
    """Audit findings, errors first, each pointing at its table and source line."""
    frame = table_or_empty(data, "findings")
    marks = review_of(data.data_dir)
    rows = []
    if not frame.is_empty():
        frame = frame.filter(pl.col("doc_id").is_in(doc_ids)).with_columns(
            pl.col("severity").replace_strict(SEVERITY_ORDER, default=9).alias("_order")
        ).sort("_order", "doc_id", "table", "row_no", "col_no", nulls_last=True)
        for f in frame.iter_rows(named=True):
            table = TABLES_BY_KEY[f["table"]].name if f["table"] in TABLES_BY_KEY else (f["table"] or "")
            mark = marks.get(f.get("finding_id") or "", {})
            rows.append(
                (
                    SEVERITY_LABELS.get(f["severity"], f["severity"]),
                    f["check"],
                    table,
                    f["row_no"],
                    f["col_no"],
                    f["expected"],
                    f["actual"],
                    f["difference"],
                    f["message"],
                    where(data, f["doc_id"], f["source_line"]),
                    f.get("finding_id") or "",
                    *review_cells(mark),
                )
            )
    cols = [
        text_column("严重程度"), text_column("规则"), text_column("表"), ReportColumn("序号", "int"), ReportColumn("栏次", "int"),
        ReportColumn("应为", "money", in_total=False), ReportColumn("实为", "money", in_total=False),
        ReportColumn("差额", "money", in_total=False), text_column("说明"), text_column("来源"), text_column(ID_COLUMN), *REVIEW_COLUMNS,
    ]
    note = "审核人可在“审核状态”列填写 已核实、误报 或 待查，并填写审核说明与审核人，用 budgetlib review import 导入；未标记的显示为“未审核”。"
    return ReportTable("审核发现", "审核发现（错误在前）", cols, rows, note=note)


#: The columns an auditor fills in, after the finding's own.
REVIEW_COLUMNS = [
    ReportColumn(STATUS_COLUMN, "text", choices=(UNREVIEWED, *STATUSES)), text_column(NOTE_COLUMN), text_column(REVIEWER_COLUMN),
]


def review_cells(mark: dict) -> tuple[str, str, str]:
    """审核状态, 审核说明, 审核人 of a finding (未审核 when it carries no mark)."""
    return (mark.get("status") or UNREVIEWED, mark.get("note") or "", mark.get("reviewer") or "")


def is_open(mark: dict | None) -> bool:
    """A finding not yet marked 已核实 or 误报 is open (未审核 or 待查)."""
    return not mark or mark.get("status") not in CLOSED


def finding_counts(data: Dataset, doc_ids: list[str]) -> dict[str, int]:
    frame = table_or_empty(data, "findings")
    if frame.is_empty():
        return {k: 0 for k in SEVERITY_ORDER}
    counts = dict(frame.filter(pl.col("doc_id").is_in(doc_ids)).group_by("severity").len().iter_rows())
    return {k: counts.get(k, 0) for k in SEVERITY_ORDER}
