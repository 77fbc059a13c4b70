"""The department report: what the department notebook calls, one function per section.

In: the notebook's parameters (department, years, folders), given to
:func:`open_department`, which gathers the department's documents into a
:class:`DepartmentReport`. Out: for each section, something the notebook displays,
a :class:`~budgetlib.analysis.report_table.ReportTable`, a
:class:`~budgetlib.reports.charts.Chart` or a :mod:`~budgetlib.reports.blocks` object;
and the department's Excel workbook. The notebook holds no analysis of its own;
everything here can be run and tested without Jupyter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budgetlib.analysis import department as department_figures
from budgetlib.analysis.budget_execution import execution as budget_execution
from budgetlib.analysis.departments import Department, find_department
from budgetlib.analysis.findings_table import findings as findings_table
from budgetlib.analysis.lookups import main_document
from budgetlib.analysis.projects import goals as goals_table, projects as projects_table
from budgetlib.analysis.report_table import ReportTable
from budgetlib.analysis.sources_table import sources as sources_table
from budgetlib.analysis.standard_tables import standard_table
from budgetlib.analysis import years as years_table
from budgetlib.analysis.three_public import three_public as three_public_table, three_public_trend as three_public_trend_table
from budgetlib.errors import ReportError
from budgetlib.reports import charts, years_section
from budgetlib.reports.blocks import Heading, Note, Written
from budgetlib.reports.evidence import Evidence, findings_evidence
from budgetlib.reports.naming import DEPARTMENT_DIR, report_stem
from budgetlib.reports.parameters import check_dirs, parse_years
from budgetlib.reports.workbooks import write_report_workbook
from budgetlib.store.load import Dataset, load
from budgetlib.vocab.tables import ALL_TABLES


@dataclass
class DepartmentReport:
    data: Dataset
    department: Department
    years: list[int]
    output_dir: Path
    doc_ids: list[str] = field(default_factory=list)
    main_doc: str | None = None
    year: int | None = None
    #: The original documents (read only), for pictures of the pages where findings are printed.
    raw_dir: Path | None = None

    @property
    def stem(self) -> str:
        return report_stem(self.department.name, self.department.key, self.years)

    @property
    def title(self) -> str:
        year = f"{self.year}年" if self.year else ""
        return f"{self.department.name}{year}部门预算审核报告"


def open_department(department: str, years=None, data_dir="data/processed", output_dir="reports", raw_dir="data/raw") -> DepartmentReport:
    """Validate the notebook parameters and gather the department's documents."""
    data_dir, output_dir = check_dirs(data_dir, output_dir)
    if not isinstance(department, str) or not department.strip():
        raise ReportError("请用参数 department 指定部门名称或编号。")
    year_list = parse_years(years)
    data = load(data_dir)
    dept = find_department(data, department)
    docs = data.documents.filter(data.documents["doc_id"].is_in(list(dept.doc_ids)))
    if year_list:
        docs = docs.filter(docs["fiscal_year"].is_in(year_list))
        if docs.is_empty():
            raise ReportError(f"部门“{dept.name}”没有 {year_list} 年度的文件；已有年度：{list(dept.years)}")
    doc_ids = docs["doc_id"].to_list()
    report = DepartmentReport(data, dept, year_list, output_dir, doc_ids)
    report.raw_dir = Path(raw_dir) if isinstance(raw_dir, (str, Path)) and str(raw_dir).strip() else None
    report.main_doc = main_document(data, dept, max(year_list) if year_list else None)
    if report.main_doc:
        report.year = data.documents.filter(data.documents["doc_id"] == report.main_doc)["fiscal_year"].item()
    return report


def headline(r: DepartmentReport) -> ReportTable:
    return department_figures.headline(r.data, r.main_doc)


def function_classes(r: DepartmentReport) -> ReportTable:
    return department_figures.function_classes(r.data, r.main_doc)


def function_class_chart(r: DepartmentReport) -> charts.Chart:
    return charts.function_class_chart(function_classes(r))


def economic_classes(r: DepartmentReport) -> ReportTable:
    return department_figures.economic_classes(r.data, r.main_doc)


def shares(r: DepartmentReport) -> ReportTable:
    return department_figures.shares(r.data, r.main_doc)


def structure_chart(r: DepartmentReport) -> charts.Chart:
    return charts.structure_chart(shares(r))


def three_public(r: DepartmentReport) -> ReportTable:
    return three_public_table(r.data, r.main_doc, r.year)


def three_public_chart(r: DepartmentReport) -> charts.Chart:
    return charts.three_public_chart(three_public(r))


def three_public_trend(r: DepartmentReport) -> ReportTable:
    return three_public_trend_table(r.data, r.department)


def three_public_trend_chart(r: DepartmentReport) -> charts.Chart:
    trend = three_public_trend(r)
    return charts.trend_chart({r.department.name: [(int(y), v) for y, v, _ in trend.rows]}, "“三公”经费合计的年度变化")


def operating_cost(r: DepartmentReport) -> ReportTable:
    return department_figures.operating_cost(r.data, r.main_doc)


def projects(r: DepartmentReport) -> ReportTable:
    return projects_table(r.data, r.department, r.doc_ids)


def goals(r: DepartmentReport) -> ReportTable:
    return goals_table(r.data, r.doc_ids)


def findings(r: DepartmentReport) -> ReportTable:
    return findings_table(r.data, r.doc_ids)


def evidence(r: DepartmentReport) -> Evidence:
    """Each error found in a PDF, shown on its page with the cells involved boxed."""
    return Evidence(findings_evidence(r.data, r.doc_ids, r.raw_dir))


def sources(r: DepartmentReport) -> ReportTable:
    return sources_table(r.data, r.doc_ids)


def standard_tables(r: DepartmentReport) -> list[ReportTable]:
    if r.main_doc is None:
        return []
    printed = set(r.data.line_items.filter(r.data.line_items["doc_id"] == r.main_doc)["table"].unique().to_list())
    return [standard_table(r.data, r.main_doc, s.key) for s in ALL_TABLES if s.key in printed]


def execution(r: DepartmentReport) -> ReportTable:
    """预算执行情况: final accounts against the budget of the same year, line by line."""
    return budget_execution(r.data, r.department, max(r.years) if r.years else None)


def years_overview(r: DepartmentReport) -> ReportTable:
    """主要指标的年度对比: every measure side by side, one column per year."""
    return years_table.overview(r.data, r.department, r.years or None)


def years_chart(r: DepartmentReport) -> "charts.Chart | Note":
    return years_section.department_chart(r.data, r.department, r.years or None)


def year_detail(r: DepartmentReport, measure: str) -> "ReportTable | Note":
    """One measure year by year (收入合计, 基本支出 …, by label or key): change, rate, 执行率."""
    return years_section.department_detail(r.data, r.department, measure, r.years or None)


def years_detail(r: DepartmentReport) -> ReportTable:
    """Every measure year by year (the workbook's 年度明细 sheet)."""
    return years_table.detail(r.data, r.department, r.years or None)


def department_tables(r: DepartmentReport) -> list[ReportTable]:
    """Every table of the department report, in report order (the workbook's sheets)."""
    return [
        headline(r), function_classes(r), economic_classes(r), shares(r), three_public(r),
        three_public_trend(r), operating_cost(r), execution(r), goals(r), projects(r), *standard_tables(r), findings(r),
        years_overview(r), years_detail(r),
    ]


def department_workbook(r: DepartmentReport) -> Path:
    """Write the department's workbook beside its HTML report; return its path."""
    path = r.output_dir / DEPARTMENT_DIR / f"{r.stem}.xlsx"
    extra = {"部门": r.department.name, "地区": r.department.region or "", "年度": str(r.year or "")}
    return write_report_workbook(path, department_tables(r), sources(r), extra, subject=r.department.name)


def department_heading(r: DepartmentReport) -> Heading:
    dept = r.department
    return Heading(r.title, f"地区：{dept.region or '未知'}；部门编码：{dept.code or '未知'}；数据年度：{', '.join(map(str, dept.years)) or '未知'}")


def write_department_workbook(r: DepartmentReport) -> Written:
    return Written(department_workbook(r))
