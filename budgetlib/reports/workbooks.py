"""The Excel workbooks handed to finance offices: built from the same report tables."""
from __future__ import annotations

from pathlib import Path

from budgetlib import __version__
from budgetlib.analysis.sources_table import run_time
from budgetlib.reports.excel import sheet_of, write_workbook
from budgetlib.analysis.report_table import ReportTable


def workbook_notes(sources: ReportTable, extra: dict[str, str] | None = None) -> list[tuple[str, str]]:
    notes = [("budgetlib 版本", __version__), ("生成时间", run_time()), ("金额单位", "万元（保留两位小数）")]
    for row in sources.rows:
        notes.append(("来源文件", row[0]))
        notes.append((f"{row[0]} 的 SHA-256", row[1]))
    for key, value in (extra or {}).items():
        notes.append((key, value))
    notes.append(("说明", "各表“来源”列给出每个数字在原文件中的行号；合计行为 Excel 公式，打开时自动重算。"))
    return notes


def write_report_workbook(path: Path, tables: list[ReportTable], sources: ReportTable, extra: dict[str, str] | None = None) -> Path:
    """One sheet per report table, then 说明 (sources, hashes, version, date)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(path, [sheet_of(t) for t in tables], workbook_notes(sources, extra))
