"""The sections “over the years”: what the department and comparison reports call.

In: a loaded dataset and a department (or every department). Out: the report tables of
:mod:`budgetlib.analysis.years` and their charts (:mod:`budgetlib.reports.year_charts`).
"""
from __future__ import annotations

from budgetlib.analysis import years as Y
from budgetlib.analysis.departments import Department, departments
from budgetlib.analysis.report_table import ReportTable, money_column, text_column
from budgetlib.reports import year_charts
from budgetlib.reports.blocks import Note
from budgetlib.reports.charts import Chart
from budgetlib.store.load import Dataset

#: The measures the comparison follows per department.
COMPARED = ("total_expenditure", "personnel", "public_use", "project_expenditure", "three_public_total")


def measure_key(measure: str) -> str:
    """A measure by its key (total_income) or its Chinese label (收入合计)."""
    by_label = {label: key for key, label in Y.MEASURES}
    key = by_label.get(measure, measure)
    if key not in Y.LABELS:
        from budgetlib.errors import ReportError

        raise ReportError(f"未知的指标 {measure!r}；可用：{'、'.join(Y.LABELS.values())}")
    return key


def department_chart(data: Dataset, dept: Department, years: list[int] | None = None) -> Chart | Note:
    """Small multiples: one panel per measure of the department, a bar per year."""
    by_measure = Y.department_series(data, dept, years)
    shown = Y.all_years(by_measure)
    if not shown:
        return Note("没有可按年度比较的数字。")
    panels = {
        label: {
            "values": [(v.year, v.value) for v in by_measure[key]],
            "prior": {v.year for v in by_measure[key] if v.kind == Y.PRIOR},
            "final": [(v.year, v.final) for v in by_measure[key]],
        }
        for key, label in Y.MEASURES
    }
    return year_charts.measure_panels(panels, shown, f"{dept.name}主要指标的年度变化")


def department_detail(data: Dataset, dept: Department, measure: str, years: list[int] | None = None) -> ReportTable | Note:
    """One measure's rows by year; a sentence where no year states it."""
    key = measure_key(measure)
    table = Y.detail(data, dept, years, [key])
    if all(r[2] is None and r[6] is None for r in table.rows):
        return Note(f"{Y.LABELS[key]}：各年度文件均未列示。")
    return table


def trend_series(data: Dataset, measure: str, years: list[int] | None = None) -> dict[str, list]:
    """department label -> [(year, value)] of one measure, for every department."""
    key = measure_key(measure)
    return {d.label: [(v.year, v.value) for v in Y.department_series(data, d, years)[key]] for d in departments(data)}


def trend_chart(data: Dataset, measure: str, years: list[int] | None = None) -> Chart | Note:
    key = measure_key(measure)
    return year_charts.department_trends(trend_series(data, key, years), f"各部门{Y.LABELS[key]}的年度变化")


def trend_table(data: Dataset, years: list[int] | None = None) -> ReportTable:
    """One row per department and measure, one column per year, and the change of the last two years."""
    rows_by_dept = []
    span: set[int] = set()
    for dept in departments(data):
        by_measure = Y.department_series(data, dept, years)
        span |= set(Y.all_years(by_measure))
        rows_by_dept.append((dept, by_measure))
    shown = sorted(span)
    rows, prior = [], 0
    for dept, by_measure in rows_by_dept:
        for key in COMPARED:
            values = {v.year: v for v in by_measure[key]}
            if not any(v.value is not None for v in values.values()):
                continue
            prior += sum(1 for v in values.values() if v.kind == Y.PRIOR and v.value is not None)
            cells = [values[y].value if y in values else None for y in shown]
            # The department's own latest year against the year before it (not the data's last year).
            latest = max((y for y, v in values.items() if v.value is not None), default=None)
            before = values.get(latest - 1) if latest is not None else None
            diff, rate = Y.change(values[latest].value if latest else None, before.value if before else None)
            rows.append((dept.label, Y.LABELS[key], *cells, diff, rate))
    from budgetlib.analysis.report_table import ReportColumn

    cols = [text_column("部门"), text_column("指标"), *(money_column(f"{y}年") for y in shown)]
    cols += [ReportColumn("最近一年较上年增减", "money", in_total=False), ReportColumn("最近一年增减率", "percent")]
    note = "空白表示该年度未列示或没有公开文件，不是零。"
    if prior:
        note += f"其中 {prior} 个数取自次年文件文字说明所述的上年数（各部门报告的“年度变化”部分逐一注明）。"
    return ReportTable("年度趋势", "各部门主要指标的年度变化", cols, rows, note=note)
