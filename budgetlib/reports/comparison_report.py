"""The comparison report: what the comparison notebook calls, one function per section.

In: the notebook's parameters (years, folders, how many departments the ranking
charts show), given to :func:`open_comparison`, which loads the processed data into a
:class:`ComparisonReport`. Out: the comparison table of every department and year,
the charts drawn from it, the audit findings summarized across departments, and the
comparison workbook, each something the notebook displays. Everything here can be run
and tested without Jupyter.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from budgetlib.analysis import comparison as C
from budgetlib.analysis.comparison import comparison_table, three_public_series
from budgetlib.analysis.departments import departments
from budgetlib.analysis.lookups import ratio
from budgetlib.analysis.report_table import ReportTable
from budgetlib.analysis.sources_table import sources as sources_table
from budgetlib.errors import ReportError
from budgetlib.reports import charts, years_section
from budgetlib.reports.blocks import Heading, Note, Written
from budgetlib.reports.parameters import check_dirs, parse_years
from budgetlib.reports.workbooks import write_report_workbook
from budgetlib.store.load import Dataset, load


@dataclass
class ComparisonReport:
    data: Dataset
    years: list[int]
    output_dir: Path
    top_n: int = charts.TOP_N
    table: ReportTable | None = None
    summary: ReportTable | None = None
    trends: ReportTable | None = None

    @property
    def title(self) -> str:
        return "部门预算比较报告"


def open_comparison(years=None, data_dir="data/processed", output_dir="reports", top_n=charts.TOP_N) -> ComparisonReport:
    data_dir, output_dir = check_dirs(data_dir, output_dir)
    if isinstance(top_n, bool) or not isinstance(top_n, int) or not 1 <= top_n <= 200:
        raise ReportError(f"参数 top_n 应为 1 到 200 之间的整数，实为 {top_n!r}")
    data = load(data_dir)
    if not departments(data):
        raise ReportError("没有可比较的部门：请先运行 budgetlib parse。")
    return ComparisonReport(data, parse_years(years), output_dir, top_n)


def comparison(c: ComparisonReport) -> ReportTable:
    """The comparison table, computed once per report (every chart reads it)."""
    if c.table is None:
        c.table = comparison_table(c.data, c.years or None)
    return c.table


def ranked_expenditure_chart(c: ComparisonReport) -> charts.Chart:
    return _ranked_chart(c, "支出合计", "支出合计")


def ranked_three_public_chart(c: ComparisonReport) -> charts.Chart:
    return _ranked_chart(c, "三公合计", "“三公”经费合计")


def _ranked_chart(c: ComparisonReport, column: str, title: str) -> charts.Chart:
    """The top departments by one column of the comparison table."""
    t = comparison(c)
    return charts.ranked_bar_chart(_labels(t), t.column(column), title, c.top_n)


def share_distribution_chart(c: ComparisonReport) -> charts.Chart:
    t = comparison(c)
    return charts.distribution_chart(
        {h: t.column(h) for h in ("人员经费占比", "公用经费占比", "项目支出占比")}, "各部门支出结构占比的分布"
    )


def share_stack_chart(c: ComparisonReport) -> charts.Chart:
    t = comparison(c)
    keep = [i for i, v in enumerate(t.column("支出合计")) if v]
    labels = [_labels(t)[i] for i in keep]
    parts = {h.removesuffix("占比"): [t.column(h)[i] for i in keep] for h in ("人员经费占比", "公用经费占比", "项目支出占比")}
    parts["基本支出"] = [ratio(t.column("基本支出")[i], t.column("支出合计")[i]) for i in keep]
    return charts.stacked_share_chart(labels, parts, "支出结构（按支出合计排序）", c.top_n)


def comparison_trend_chart(c: ComparisonReport) -> charts.Chart:
    return charts.trend_chart(three_public_series(c.data), "各部门“三公”经费合计的年度变化")


def trend_table(c: ComparisonReport) -> ReportTable:
    """各部门主要指标的年度变化: one row per department and measure, one column per year."""
    if c.trends is None:
        c.trends = years_section.trend_table(c.data, c.years or None)
    return c.trends


def department_trend_chart(c: ComparisonReport, measure: str) -> "charts.Chart | Note":
    """Each department's trend of one measure (支出合计, 人员经费 …, by label or key)."""
    return years_section.trend_chart(c.data, measure, c.years or None)


def review_overview(c: ComparisonReport) -> Note:
    """How many findings the auditors have marked, and how many are still open."""
    return Note(C.review_overview(findings_summary(c)))


def stale_reviews(c: ComparisonReport) -> "ReportTable | Note":
    """Marks kept for findings that no longer occur (the document changed, or a check was fixed)."""
    table = C.stale_reviews(c.data)
    return table if table.rows else Note("没有已失效的审核标记。")


def findings_overview(c: ComparisonReport) -> "Note":
    """审核发现: the totals, and where each department's full list is."""
    checked = (c.data.data_dir / "findings.parquet").exists() or not c.data.findings.is_empty()
    return Note(C.findings_overview(findings_summary(c), checked))


def findings_summary(c: ComparisonReport) -> ReportTable:
    """Findings counted per department and year (errors first), computed once per report."""
    if c.summary is None:
        c.summary = C.finding_summary(c.data, c.years or None)
    return c.summary


def error_list(c: ComparisonReport) -> ReportTable:
    """Only the errors, each with its department, file and line."""
    return C.error_list(c.data, c.years or None)


def all_findings(c: ComparisonReport) -> ReportTable:
    """Every finding of every department: a sheet of the comparison workbook (not shown in HTML)."""
    return C.all_findings(c.data, c.years or None)


def comparison_sources(c: ComparisonReport) -> ReportTable:
    return sources_table(c.data, c.data.documents["doc_id"].to_list())


def comparison_workbook(c: ComparisonReport) -> Path:
    """comparison.xlsx: the comparison table, the findings summary and the full list of findings."""
    path = c.output_dir / "comparison.xlsx"
    stale = C.stale_reviews(c.data)
    tables = [comparison(c), trend_table(c), findings_summary(c), all_findings(c), *([stale] if stale.rows else [])]
    return write_report_workbook(path, tables, comparison_sources(c), subject="部门预算比较")


def _labels(t: ReportTable) -> list[str]:
    return [f"{name} {year}" for name, year in zip(t.column("部门"), t.column("年度"))]


def comparison_heading(c: ComparisonReport) -> Heading:
    n = len(departments(c.data))
    years = sorted({y for y in c.data.documents["fiscal_year"].to_list() if y})
    return Heading(c.title, f"共 {n} 个部门；年度：{', '.join(map(str, years))}")


def write_comparison_workbook(c: ComparisonReport) -> Written:
    return Written(comparison_workbook(c))
