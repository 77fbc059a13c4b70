"""The Excel workbooks handed to finance offices: built from the same report tables."""
from __future__ import annotations

from pathlib import Path

from budgetlib import __version__
from budgetlib.analysis.sources_table import run_time
from budgetlib.reports.excel import sheet_of, write_workbook
from budgetlib.analysis.report_table import ReportTable


#: How to read the workbook, for a reader who only ever opens the Excel file.
READING_GUIDE: tuple[tuple[str, str], ...] = (
    ("如何阅读", "每个工作表是报告的一节：第1行为表名，第2行为单位，第3行为栏目名称，其下为数据。打印时每页重复表名和栏目名称，页脚注明部门、工作表和页码。"),
    ("来源", "“来源”列给出每个数字在原文件中的位置（文件名、页码和行号），可据此翻阅原文核对。"),
    ("空白单元格", "空白表示原文件未列示该数字，不等于零；原文件列示为零的显示为 0.00。"),
    ("上年数（文字说明）", "没有上年公开文件时，上年数取自本年文件文字说明中的“较上年增减”等表述，来源列注明“文字说明”。"),
    ("审核发现", "“审核发现”表每行一条发现，“发现编号”在重新解析和审核同一文件后保持不变。审核人可在“审核状态”列填写 已核实、误报 或 待查，在“审核说明”和“审核人”列填写说明和姓名，保存后交回，由 budgetlib review import 导入。"),
)


def workbook_notes(sources: ReportTable, extra: dict[str, str] | None = None, tables: list[ReportTable] = ()) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = list(READING_GUIDE)
    for table in tables:
        notes.append((f"工作表“{table.key}”", table.title))
    notes += [("budgetlib 版本", __version__), ("生成时间", run_time()), ("金额单位", "万元（保留两位小数）")]
    for row in sources.rows:
        notes.append(("来源文件", row[0]))
        notes.append((f"{row[0]} 的 SHA-256", row[1]))
    for key, value in (extra or {}).items():
        notes.append((key, value))
    notes.append(("说明", "各表“来源”列给出每个数字在原文件中的行号；合计行为 Excel 公式，打开时自动重算。"))
    return notes


def write_report_workbook(
    path: Path, tables: list[ReportTable], sources: ReportTable, extra: dict[str, str] | None = None, subject: str = ""
) -> Path:
    """One sheet per report table, then 说明 (how to read it, sources, hashes, version, date).
    ``subject`` (the department, or 部门预算比较) is printed in each page's footer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(path, [sheet_of(t) for t in tables], workbook_notes(sources, extra, tables), subject)
