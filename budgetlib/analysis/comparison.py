"""The cross-department comparison: one row per department and year.

The audit findings of all departments are summarized here too: counts per
department and year, and the errors with their source lines. At a thousand
departments the full list runs to some 16,000 rows, so the comparison report
shows the summary and the errors, and its workbook carries every finding.
"""
from __future__ import annotations

from collections import Counter
from decimal import Decimal

import polars as pl

from budgetlib.vocab.contract import SEVERITIES, SEVERITY_LABELS
from budgetlib.analysis.department import figures_of, operating_cost_figure
from budgetlib.analysis.departments import Department, departments
from budgetlib.analysis.findings_table import REVIEW_COLUMNS, finding_counts, is_open, review_cells
from budgetlib.store.reviews import NOTE_COLUMN, REVIEWER_COLUMN, STATUS_COLUMN, review_of
from budgetlib.analysis.lookups import disclosure_documents, fact, ratio, where
from budgetlib.analysis.three_public import printed_empty, three_public_figures, three_public_trend
from budgetlib.analysis.report_table import ReportColumn
from budgetlib.store.load import PRINTS_TABLES, Dataset
from budgetlib.analysis.report_table import ReportTable
from budgetlib.vocab.facts import change_key, prior_key

COLUMNS = [
    ReportColumn("部门", "text"), ReportColumn("地区", "text"), ReportColumn("年度", "text"), ReportColumn("文件类型", "text"),
    ReportColumn("收入合计", "money"), ReportColumn("支出合计", "money"), ReportColumn("基本支出", "money"), ReportColumn("项目支出", "money"),
    ReportColumn("人员经费", "money"), ReportColumn("公用经费", "money"),
    ReportColumn("人员经费占比", "percent"), ReportColumn("公用经费占比", "percent"), ReportColumn("项目支出占比", "percent"),
    ReportColumn("三公合计", "money"), ReportColumn("因公出国（境）费", "money"), ReportColumn("公务用车购置及运维费", "money"),
    ReportColumn("公务接待费", "money"), ReportColumn("三公上年", "money", in_total=False), ReportColumn("三公增减", "money", in_total=False),
    ReportColumn("三公增减率", "percent"), ReportColumn("机关运行经费", "money"), ReportColumn("项目数", "int"),
    *(ReportColumn(SEVERITY_LABELS[s], "int") for s in SEVERITIES),
    ReportColumn("来源文件", "text"),
]


def comparison_rows(data: Dataset, years: list[int] | None = None) -> list[dict]:
    """Figures per department and year as dicts keyed by the Chinese column headers."""
    rows = []
    project_counts = {}
    if "projects" in data.names and not data.projects.is_empty():
        project_counts = dict(data.projects.group_by("doc_id").len().iter_rows())
    files = dict(data.documents.select("doc_id", "source_file").iter_rows())
    for dept in departments(data):
        docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids))).sort("fiscal_year")
        main_docs = docs.filter(pl.col("doc_kind") != "performance")
        for doc in _one_per_disclosure(data, main_docs if main_docs.height else docs):
            year = doc["fiscal_year"]
            if years and year not in years:
                continue
            doc_id = doc["doc_id"]
            has_tables = doc["doc_kind"] != "performance"
            figs = figures_of(data, doc_id) if has_tables else {}
            fig = lambda name: figs[name].value if name in figs else None  # noqa: E731
            total = fig("total_expenditure")
            three = three_public_figures(data, doc_id) if has_tables else {}
            three_total = (three.get("subtotal") or three.get("total")).value if three else (Decimal(0) if printed_empty(data, doc_id) else None)
            prior = fact(data, doc_id, prior_key("three_public_total")).value
            change = fact(data, doc_id, change_key("three_public_total")).value
            if change is None and prior is not None and three_total is not None:
                change = three_total - prior
            same_year = docs.filter(pl.col("fiscal_year").eq_missing(year))["doc_id"].to_list()
            counts = finding_counts(data, same_year)
            rows.append(
                {
                    "部门": dept.name,
                    "地区": dept.region,
                    "年度": str(year or ""),
                    "文件类型": {"budget": "预算", "final_accounts": "决算", "performance": "绩效文本"}.get(doc["doc_kind"], doc["doc_kind"]),
                    "收入合计": fig("total_income"),
                    "支出合计": total,
                    "基本支出": fig("basic_expenditure"),
                    "项目支出": fig("project_expenditure"),
                    "人员经费": fig("personnel"),
                    "公用经费": fig("public_use"),
                    "人员经费占比": ratio(fig("personnel"), total),
                    "公用经费占比": ratio(fig("public_use"), total),
                    "项目支出占比": ratio(fig("project_expenditure"), total),
                    "三公合计": three_total,
                    "因公出国（境）费": _part(three, "abroad", three_total),
                    "公务用车购置及运维费": _part(three, "vehicle", three_total),
                    "公务接待费": _part(three, "reception", three_total),
                    "三公上年": prior,
                    "三公增减": change,
                    "三公增减率": ratio(change, prior),
                    "机关运行经费": operating_cost_figure(data, doc_id).value,
                    "项目数": sum(project_counts.get(d, 0) for d in same_year),
                    **{SEVERITY_LABELS[s]: counts[s] for s in SEVERITIES},
                    "来源文件": "、".join(files[d] for d in disclosure_documents(data, doc_id)),
                }
            )
    return sorted(rows, key=lambda r: (-(r["支出合计"] or Decimal(-1)), r["部门"], r["年度"]))


def _one_per_disclosure(data: Dataset, docs: pl.DataFrame) -> list[dict]:
    """One document per disclosure: of its text and its tables, the file with the tables
    (the figures of the other are found through it)."""
    kept, seen = [], set()
    for doc in docs.sort(["fiscal_year", "doc_id"]).iter_rows(named=True):
        group = disclosure_documents(data, doc["doc_id"])
        if seen.isdisjoint(group):
            seen.update(group)
            in_docs = docs.filter(pl.col("doc_id").is_in(group))
            kept.append(in_docs.sort(PRINTS_TABLES, descending=True).row(0, named=True))
    return kept


def _part(three: dict, key: str, total: Decimal | None) -> Decimal | None:
    if key in three:
        return three[key].value
    return Decimal(0) if total == 0 else None


def comparison_table(data: Dataset, years: list[int] | None = None) -> ReportTable:
    return ReportTable.of_records(
        "部门比较",
        "部门比较（按支出合计排序）",
        COLUMNS,
        comparison_rows(data, years),
        note="占比均以支出合计为分母；三公上年与增减来自各部门情况说明的文字表述。",
    )


def three_public_series(data: Dataset) -> dict[str, list[tuple[int, Decimal | None]]]:
    """三公 totals by year for every department (tables of each year plus prior years from the prose)."""
    series = {}
    for dept in departments(data):
        trend = three_public_trend(data, dept)
        if trend.rows:
            series[dept.name] = [(int(y), v) for y, v, _ in trend.rows]
    return series


# --- audit findings across departments -------------------------------------------


def summary_columns() -> list[ReportColumn]:
    """部门, 地区, 年度, then a count column per severity (错误, 警告, 四舍五入, 提示)."""
    return (
        [ReportColumn("部门", "text"), ReportColumn("地区", "text"), ReportColumn("年度", "text")]
        + [ReportColumn(SEVERITY_LABELS[s], "int") for s in SEVERITIES]
        + [ReportColumn(OPEN_COLUMN, "int"), ReportColumn("已核实", "int"), ReportColumn("误报", "int")]
    )


#: Findings not yet marked 已核实 or 误报 (未审核 or 待查).
OPEN_COLUMN = "未结发现"


def _review_counts(data: Dataset) -> dict[str, Counter]:
    """doc_id -> how many of its findings are open, 已核实 and 误报."""
    frame = data.findings
    marks = review_of(data.data_dir)
    counts: dict[str, Counter] = {}
    if frame.is_empty() or "finding_id" not in frame.columns:
        return counts
    for doc_id, finding in frame.select("doc_id", "finding_id").iter_rows():
        mark = marks.get(finding or "")
        c = counts.setdefault(doc_id, Counter())
        c[OPEN_COLUMN if is_open(mark) else mark["status"]] += 1
    return counts


def department_years(data: Dataset, years: list[int] | None = None) -> list[tuple[Department, int | None, list[str]]]:
    """(department, year, its documents of that year) for every department and year it has documents."""
    year_of = dict(data.documents.select("doc_id", "fiscal_year").iter_rows())
    result = []
    for dept in departments(data):
        by_year: dict[int | None, list[str]] = {}
        for doc_id in dept.doc_ids:
            by_year.setdefault(year_of.get(doc_id), []).append(doc_id)
        for year in sorted(by_year, key=lambda y: (y is None, y or 0)):
            if years and year not in years:
                continue
            result.append((dept, year, by_year[year]))
    return result


def _severity_counts(data: Dataset) -> dict[str, Counter]:
    """doc_id -> findings by severity."""
    frame = data.findings
    counts: dict[str, Counter] = {}
    if frame.is_empty():
        return counts
    for doc_id, severity, n in frame.group_by("doc_id", "severity").len().iter_rows():
        counts.setdefault(doc_id, Counter())[severity] = n
    return counts


def finding_summary(data: Dataset, years: list[int] | None = None) -> ReportTable:
    """One row per department and year: how many findings of each severity.

    The rows with errors come first (most errors first, then most warnings), then the others
    by region and name. The counts are those of ``budgetlib check`` for the same documents.
    """
    by_doc, reviewed = _severity_counts(data), _review_counts(data)
    rows = []
    for dept, year, doc_ids in department_years(data, years):
        counts = sum((by_doc.get(d, Counter()) for d in doc_ids), Counter())
        marks = sum((reviewed.get(d, Counter()) for d in doc_ids), Counter())
        rows.append(
            (dept.name, dept.region or "", str(year or ""), *(counts[s] for s in SEVERITIES), marks[OPEN_COLUMN], marks["已核实"], marks["误报"])
        )
    errors, warnings = 3 + SEVERITIES.index("error"), 3 + SEVERITIES.index("warning")
    rows.sort(key=lambda r: (-r[errors], -r[warnings], r[1], r[0], r[2]))
    return ReportTable(
        "审核发现汇总",
        "各部门审核发现汇总（有错误的在前）",
        summary_columns(),
        rows,
        unit="条",
        note="每行为一个部门一个年度的全部文件（预算、决算与绩效文本）的审核发现条数；有错误的部门排在前面。"
        "“未结发现”为尚未标记为已核实或误报的发现（未审核或待查）。",
    )


def _finding_rows(data: Dataset, years: list[int] | None, severities: tuple[str, ...]) -> list[dict]:
    """The findings of ``severities`` with their department and year, sorted: most serious first,
    then by department, year, document, table, 序号 and 栏次."""
    from budgetlib.checks.other_figures import table_name

    frame = data.findings
    chosen = department_years(data, years)
    if frame.is_empty() or not chosen:
        return []
    order = {dept.key: i for i, dept in enumerate(departments(data))}
    docs = pl.DataFrame(
        [(doc_id, order[dept.key], year) for dept, year, doc_ids in chosen for doc_id in doc_ids],
        schema={"doc_id": pl.String, "_dept": pl.Int64, "_year": pl.Int64},
        orient="row",
    )
    dept_of = {doc_id: dept for dept, _, doc_ids in chosen for doc_id in doc_ids}
    files = dict(data.documents.select("doc_id", "source_file").iter_rows())
    frame = (
        frame.filter(pl.col("severity").is_in(list(severities)))
        .join(docs, on="doc_id", how="inner")
        .with_columns(
            pl.col("severity")
            .replace_strict({s: i for i, s in enumerate(SEVERITIES)}, default=len(SEVERITIES), return_dtype=pl.Int64)
            .alias("_sev"),
            pl.col("doc_id").replace_strict(files, default="", return_dtype=pl.String).alias("_file"),
        )
        .sort("_sev", "_dept", "_year", "_file", "table", "row_no", "col_no", nulls_last=True)
    )
    marks = review_of(data.data_dir)
    rows = []
    for f in frame.iter_rows(named=True):
        dept = dept_of[f["doc_id"]]
        status, note, reviewer = review_cells(marks.get(f.get("finding_id") or "", {}))
        rows.append(
            {
                "发现编号": f.get("finding_id") or "",
                "严重程度": SEVERITY_LABELS.get(f["severity"], f["severity"]),
                "部门": dept.name,
                "地区": dept.region or "",
                "年度": str(f["_year"] or ""),
                "规则": f["check"],
                "表": table_name(f["table"]) if f["table"] else "",
                "序号": f["row_no"],
                "栏次": f["col_no"],
                "应为": f["expected"],
                "实为": f["actual"],
                "差额": f["difference"],
                "说明": f["message"],
                "来源": where(data, f["doc_id"], f["source_line"]),
                STATUS_COLUMN: status,
                NOTE_COLUMN: note,
                REVIEWER_COLUMN: reviewer,
            }
        )
    return rows


FINDING_COLUMNS = [
    ReportColumn("严重程度", "text"), ReportColumn("部门", "text"), ReportColumn("地区", "text"), ReportColumn("年度", "text"),
    ReportColumn("规则", "text"), ReportColumn("表", "text"), ReportColumn("序号", "int"), ReportColumn("栏次", "int"),
    ReportColumn("应为", "money", in_total=False), ReportColumn("实为", "money", in_total=False),
    ReportColumn("差额", "money", in_total=False), ReportColumn("说明", "text"), ReportColumn("来源", "text"),
    ReportColumn("发现编号", "text"), *REVIEW_COLUMNS,
]
ERROR_COLUMNS = [c for c in FINDING_COLUMNS if c.header not in ("严重程度", NOTE_COLUMN, REVIEWER_COLUMN)]


def error_list(data: Dataset, years: list[int] | None = None) -> ReportTable:
    """Only the errors of every department, each with its file and line."""
    return ReportTable.of_records(
        "审核错误",
        "错误清单（各部门）",
        ERROR_COLUMNS,
        _finding_rows(data, years, ("error",)),
        note="“来源”给出原文件及行号；警告、四舍五入与提示见各部门报告，或本报告 Excel 工作簿的“审核发现”表。",
    )


def all_findings(data: Dataset, years: list[int] | None = None) -> ReportTable:
    """Every finding of every department (errors first): the comparison workbook's full list."""
    return ReportTable.of_records(
        "审核发现", "审核发现（全部部门，错误在前）", FINDING_COLUMNS, _finding_rows(data, years, SEVERITIES)
    )


def findings_overview(summary: ReportTable, checked: bool = True) -> str:
    """A few sentences over the :func:`finding_summary`: totals, and where the full lists are."""
    if not checked:
        return "尚未运行审核（budgetlib check），没有可汇总的审核发现。"
    labels = SEVERITY_LABELS
    totals = {s: sum(summary.column(labels[s])) for s in SEVERITIES}
    with_errors = sum(1 for n in summary.column(labels["error"]) if n)
    counted = "、".join(f"{labels[s]} {totals[s]:,} 条" for s in SEVERITIES)
    return (
        f"共 {len(summary):,} 个部门年度，审核发现：{counted}；其中 {with_errors:,} 个部门年度有错误。"
        "下表每个部门年度一行，有错误的在前；其后只列出错误，每条附原文件及行号。"
        "每个部门的全部审核发现见该部门的报告与 Excel 工作簿；"
        f"本报告的 Excel 工作簿（comparison.xlsx）“审核发现”表列出全部 {sum(totals.values()):,} 条。"
    )


def review_overview(summary: ReportTable) -> str:
    """A sentence over the review columns of :func:`finding_summary`."""
    open_, confirmed, false = (sum(summary.column(h)) for h in (OPEN_COLUMN, "已核实", "误报"))
    if not confirmed and not false and not open_:
        return "没有审核发现。"
    return (
        f"已核实 {confirmed:,} 条，误报 {false:,} 条，未结（未审核或待查）{open_:,} 条。"
        "审核人在 Excel 工作簿“审核发现”表的“审核状态”列标记后，用 budgetlib review import 导入。"
    )


def stale_reviews(data: Dataset) -> ReportTable:
    """The marks whose finding no longer occurs: kept, and listed so an auditor can close them."""
    from budgetlib.store.reviews import stale_reviews as stale

    frame = stale(data.data_dir, data.findings)
    rows = [(r["finding_id"], r["status"], r["note"], r["reviewer"], r["message"], r["reviewed_at"]) for r in frame.iter_rows(named=True)]
    cols = [ReportColumn(h, "text") for h in ("发现编号", STATUS_COLUMN, NOTE_COLUMN, REVIEWER_COLUMN, "标记时的说明", "导入时间")]
    return ReportTable("失效审核标记", "已失效的审核标记（对应的发现已不再出现）", cols, rows, unit="")
