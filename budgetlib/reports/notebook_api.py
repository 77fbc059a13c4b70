"""What the report notebooks call: one function per section, each returning
something the notebook displays (a :class:`ReportTable` or a :class:`Chart`).

The notebooks hold no analysis of their own; everything here can be run and
tested without Jupyter.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budgetlib.analysis import department as A
from budgetlib.reports import charts
from budgetlib.analysis import comparison as C
from budgetlib.analysis.comparison import comparison_table, three_public_series
from budgetlib.analysis.departments import Department, departments, find_department
from budgetlib.errors import ReportError
from budgetlib.analysis.budget_execution import execution as budget_execution
from budgetlib.store.load import Dataset, load
from budgetlib.reports.naming import safe_stem
from budgetlib.analysis.report_table import ReportTable
from budgetlib.vocab.tables import ALL_TABLES
from budgetlib.reports.workbooks import write_report_workbook

DEPARTMENT_DIR = "departments"


def parse_years(years) -> list[int]:
    """Validate the ``years`` parameter: a list of years, a single year, or a comma-separated string."""
    if years in (None, "", []):
        return []
    if isinstance(years, int) and not isinstance(years, bool):
        years = [years]
    if isinstance(years, str):
        years = [y for y in years.replace("，", ",").split(",") if y.strip()]
    result = []
    for y in years:
        text = str(y).strip()
        if not text.isdigit() or not 1990 <= int(text) <= 2100:
            raise ReportError(f"年度参数无效：{y!r}。请填写四位数年份，例如 2023，或留空表示全部年度。")
        result.append(int(text))
    return sorted(set(result))


def _check_dirs(data_dir, output_dir) -> tuple[Path, Path]:
    for name, value in (("data_dir", data_dir), ("output_dir", output_dir)):
        if not isinstance(value, (str, Path)) or not str(value).strip():
            raise ReportError(f"参数 {name} 应为文件夹路径，实为 {value!r}")
    return Path(data_dir), Path(output_dir)


@dataclass
class DepartmentReport:
    data: Dataset
    department: Department
    years: list[int]
    output_dir: Path
    doc_ids: list[str] = field(default_factory=list)
    main_doc: str | None = None
    year: int | None = None

    @property
    def stem(self) -> str:
        return safe_stem(self.department.name, self.department.key)

    @property
    def title(self) -> str:
        year = f"{self.year}年" if self.year else ""
        return f"{self.department.name}{year}部门预算审核报告"


def open_department(department: str, years=None, data_dir="data/processed", output_dir="reports") -> DepartmentReport:
    """Validate the notebook parameters and gather the department's documents."""
    data_dir, output_dir = _check_dirs(data_dir, output_dir)
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
    report.main_doc = A.main_document(data, dept, max(year_list) if year_list else None)
    if report.main_doc:
        report.year = data.documents.filter(data.documents["doc_id"] == report.main_doc)["fiscal_year"].item()
    return report


def headline(r: DepartmentReport) -> ReportTable:
    return A.headline(r.data, r.main_doc)


def function_classes(r: DepartmentReport) -> ReportTable:
    return A.function_classes(r.data, r.main_doc)


def function_class_chart(r: DepartmentReport) -> charts.Chart:
    return charts.function_class_chart(function_classes(r))


def economic_classes(r: DepartmentReport) -> ReportTable:
    return A.economic_classes(r.data, r.main_doc)


def shares(r: DepartmentReport) -> ReportTable:
    return A.shares(r.data, r.main_doc)


def structure_chart(r: DepartmentReport) -> charts.Chart:
    return charts.structure_chart(shares(r))


def three_public(r: DepartmentReport) -> ReportTable:
    return A.three_public(r.data, r.main_doc, r.year)


def three_public_chart(r: DepartmentReport) -> charts.Chart:
    return charts.three_public_chart(three_public(r))


def three_public_trend(r: DepartmentReport) -> ReportTable:
    return A.three_public_trend(r.data, r.department)


def three_public_trend_chart(r: DepartmentReport) -> charts.Chart:
    trend = three_public_trend(r)
    return charts.trend_chart({r.department.name: [(int(y), v) for y, v, _ in trend.rows]}, "“三公”经费合计的年度变化")


def operating_cost(r: DepartmentReport) -> ReportTable:
    return A.operating_cost(r.data, r.main_doc)


def projects(r: DepartmentReport) -> ReportTable:
    return A.projects(r.data, r.department, r.doc_ids)


def goals(r: DepartmentReport) -> ReportTable:
    return A.goals(r.data, r.doc_ids)


def findings(r: DepartmentReport) -> ReportTable:
    return A.findings(r.data, r.doc_ids)


def sources(r: DepartmentReport) -> ReportTable:
    return A.sources(r.data, r.doc_ids)


def standard_tables(r: DepartmentReport) -> list[ReportTable]:
    if r.main_doc is None:
        return []
    printed = set(r.data.line_items.filter(r.data.line_items["doc_id"] == r.main_doc)["table"].unique().to_list())
    return [A.standard_table(r.data, r.main_doc, s.key) for s in ALL_TABLES if s.key in printed]


def execution(r: DepartmentReport) -> ReportTable:
    """预算执行情况: final accounts against the budget of the same year, line by line."""
    return budget_execution(r.data, r.department, max(r.years) if r.years else None)


def department_tables(r: DepartmentReport) -> list[ReportTable]:
    """Every table of the department report, in report order (the workbook's sheets)."""
    return [
        headline(r), function_classes(r), economic_classes(r), shares(r), three_public(r),
        three_public_trend(r), operating_cost(r), execution(r), goals(r), projects(r), *standard_tables(r), findings(r),
    ]


def department_workbook(r: DepartmentReport) -> Path:
    """Write the department's workbook beside its HTML report; return its path."""
    path = r.output_dir / DEPARTMENT_DIR / f"{r.stem}.xlsx"
    extra = {"部门": r.department.name, "地区": r.department.region or "", "年度": str(r.year or "")}
    return write_report_workbook(path, department_tables(r), sources(r), extra)


# --- comparison -------------------------------------------------------------


@dataclass
class ComparisonReport:
    data: Dataset
    years: list[int]
    output_dir: Path
    top_n: int = charts.TOP_N
    table: ReportTable | None = None
    summary: ReportTable | None = None

    @property
    def title(self) -> str:
        return "部门预算比较报告"


def open_comparison(years=None, data_dir="data/processed", output_dir="reports", top_n=charts.TOP_N) -> ComparisonReport:
    data_dir, output_dir = _check_dirs(data_dir, output_dir)
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
    t = comparison(c)
    return charts.ranked_bar_chart(_labels(t), t.column("支出合计"), "支出合计", c.top_n)


def ranked_three_public_chart(c: ComparisonReport) -> charts.Chart:
    t = comparison(c)
    return charts.ranked_bar_chart(_labels(t), t.column("三公合计"), "“三公”经费合计", c.top_n)


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
    return charts.stacked_share_chart(labels, parts, "支出结构（按支出合计排序）", c.top_n)


def comparison_trend_chart(c: ComparisonReport) -> charts.Chart:
    return charts.trend_chart(three_public_series(c.data), "各部门“三公”经费合计的年度变化")


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
    return A.sources(c.data, c.data.documents["doc_id"].to_list())


def comparison_workbook(c: ComparisonReport) -> Path:
    """comparison.xlsx: the comparison table, the findings summary and the full list of findings."""
    path = c.output_dir / "comparison.xlsx"
    return write_report_workbook(path, [comparison(c), findings_summary(c), all_findings(c)], comparison_sources(c))


def _labels(t: ReportTable) -> list[str]:
    return [f"{name} {year}" for name, year in zip(t.column("部门"), t.column("年度"))]


# --- display helpers --------------------------------------------------------


@dataclass
class Heading:
    """A title shown at the top of a report (document text, so escaped)."""

    text: str
    subtitle: str = ""

    def _repr_html_(self) -> str:
        import html

        sub = f"<p>{html.escape(self.subtitle)}</p>" if self.subtitle else ""
        return f"<h1>{html.escape(self.text)}</h1>{sub}"


@dataclass
class Note:
    """A paragraph of report text (escaped)."""

    text: str

    def _repr_html_(self) -> str:
        import html

        return f'<p class="note">{html.escape(self.text)}</p>'


@dataclass
class Written:
    path: Path

    def _repr_html_(self) -> str:
        import html

        return f"<p>已生成 Excel 工作簿：{html.escape(self.path.name)}</p>"


def department_heading(r: DepartmentReport) -> Heading:
    dept = r.department
    return Heading(r.title, f"地区：{dept.region or '未知'}；部门编码：{dept.code or '未知'}；数据年度：{', '.join(map(str, dept.years)) or '未知'}")


def write_department_workbook(r: DepartmentReport) -> Written:
    return Written(department_workbook(r))


def comparison_heading(c: ComparisonReport) -> Heading:
    n = len(departments(c.data))
    years = sorted({y for y in c.data.documents["fiscal_year"].to_list() if y})
    return Heading(c.title, f"共 {n} 个部门；年度：{', '.join(map(str, years))}")


def write_comparison_workbook(c: ComparisonReport) -> Written:
    return Written(comparison_workbook(c))
