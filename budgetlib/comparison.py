"""The cross-department comparison: one row per department and year."""
from __future__ import annotations

from decimal import Decimal

import polars as pl

from . import analysis as A
from .departments import departments
from .excel import Column
from .load import Dataset
from .report_tables import ReportTable

COLUMNS = [
    Column("部门", "text"), Column("地区", "text"), Column("年度", "text"), Column("文件类型", "text"),
    Column("收入合计", "money"), Column("支出合计", "money"), Column("基本支出", "money"), Column("项目支出", "money"),
    Column("人员经费", "money"), Column("公用经费", "money"),
    Column("人员经费占比", "percent"), Column("公用经费占比", "percent"), Column("项目支出占比", "percent"),
    Column("三公合计", "money"), Column("因公出国（境）费", "money"), Column("公务用车购置及运维费", "money"),
    Column("公务接待费", "money"), Column("三公上年", "money", in_total=False), Column("三公增减", "money", in_total=False),
    Column("三公增减率", "percent"), Column("机关运行经费", "money"), Column("项目数", "int"),
    Column("错误", "int"), Column("警告", "int"), Column("舍入差异", "int"), Column("提示", "int"),
    Column("来源文件", "text"),
]


def comparison_rows(data: Dataset, years: list[int] | None = None) -> list[dict]:
    """Figures per department and year as dicts keyed by the Chinese column headers."""
    rows = []
    project_counts = {}
    if "projects" in data.names and not data.projects.is_empty():
        project_counts = dict(data.projects.group_by("doc_id").len().iter_rows())
    for dept in departments(data):
        docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids))).sort("fiscal_year")
        main_docs = docs.filter(pl.col("doc_kind") != "performance")
        for doc in (main_docs if main_docs.height else docs).iter_rows(named=True):
            year = doc["fiscal_year"]
            if years and year not in years:
                continue
            doc_id = doc["doc_id"]
            has_tables = doc["doc_kind"] != "performance"
            figs = A.figures_of(data, doc_id) if has_tables else {}
            fig = lambda name: figs[name].value if name in figs else None  # noqa: E731
            total = fig("total_expenditure")
            three = A.three_public_figures(data, doc_id) if has_tables else {}
            three_total = (three.get("subtotal") or three.get("total")).value if three else (Decimal(0) if A._printed_empty(data, doc_id) else None)
            prior = A.fact(data, doc_id, "three_public_prior_total").value
            change = A.fact(data, doc_id, "three_public_change").value
            if change is None and prior is not None and three_total is not None:
                change = three_total - prior
            same_year = docs.filter(pl.col("fiscal_year") == year)["doc_id"].to_list()
            counts = A.finding_counts(data, same_year)
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
                    "人员经费占比": A.ratio(fig("personnel"), total),
                    "公用经费占比": A.ratio(fig("public_use"), total),
                    "项目支出占比": A.ratio(fig("project_expenditure"), total),
                    "三公合计": three_total,
                    "因公出国（境）费": _part(three, "abroad", three_total),
                    "公务用车购置及运维费": _part(three, "vehicle", three_total),
                    "公务接待费": _part(three, "reception", three_total),
                    "三公上年": prior,
                    "三公增减": change,
                    "三公增减率": A.ratio(change, prior),
                    "机关运行经费": A.operating_cost_figure(data, doc_id).value,
                    "项目数": sum(project_counts.get(d, 0) for d in same_year),
                    "错误": counts["error"],
                    "警告": counts["warning"],
                    "舍入差异": counts["rounding"],
                    "提示": counts["info"],
                    "来源文件": doc["source_file"],
                }
            )
    return sorted(rows, key=lambda r: (-(r["支出合计"] or Decimal(-1)), r["部门"], r["年度"]))


def _part(three: dict, key: str, total: Decimal | None) -> Decimal | None:
    if key in three:
        return three[key].value
    return Decimal(0) if total == 0 else None


def comparison_table(data: Dataset, years: list[int] | None = None) -> ReportTable:
    rows = comparison_rows(data, years)
    return ReportTable(
        "部门比较",
        "部门比较（按支出合计排序）",
        COLUMNS,
        [tuple(r[c.header] for c in COLUMNS) for r in rows],
        note="占比均以支出合计为分母；三公上年与增减来自各部门情况说明的文字表述。",
    )


def three_public_series(data: Dataset) -> dict[str, list[tuple[int, Decimal | None]]]:
    """三公 totals by year for every department (tables of each year plus prior years from the prose)."""
    series = {}
    for dept in departments(data):
        trend = A.three_public_trend(data, dept)
        if trend.rows:
            series[dept.name] = [(int(y), v) for y, v, _ in trend.rows]
    return series
