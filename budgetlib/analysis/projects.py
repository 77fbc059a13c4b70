"""The projects and performance goals of a department report.

In: a loaded dataset and the department's documents. Out: :func:`projects`, each
project with its amount (the table's, else the prose's, matched by name), its cost
indicators and the findings about its targets; :func:`goals`, the department's
overall goal and each item's goal and indicators (第一部分 部门整体绩效目标).
Both are :class:`ReportTable` with sources.
"""
from __future__ import annotations

import polars as pl

from budgetlib.analysis.departments import Department
from budgetlib.analysis.lookups import table_or_empty, where
from budgetlib.analysis.matching import match_names
from budgetlib.analysis.report_table import ReportColumn, ReportTable, money_column, text_column
from budgetlib.store.load import Dataset
from budgetlib.vocab.contract import SEVERITY_LABELS
from budgetlib.vocab.text import strip_latex


def projects(data: Dataset, dept: Department, doc_ids: list[str] | None = None) -> ReportTable:
    """Each project with its amount, cost indicators and target-quality flags."""
    doc_ids = doc_ids or list(dept.doc_ids)
    proj = table_or_empty(data, "projects")
    rows = []
    if not proj.is_empty():
        proj = proj.filter(pl.col("doc_id").is_in(doc_ids)).sort("doc_id", "project_no")
        inds = table_or_empty(data, "indicators")
        flags = _project_flags(data, doc_ids)
        prose = prose_project_amounts(data, proj)
        for p in proj.iter_rows(named=True):
            if p.get("budget") is not None:
                amount, source = p["budget"], where(data, p["doc_id"], p.get("source_line")) + "（预算数）"
            elif (p["doc_id"], p["project_no"]) in prose:
                fact_row = prose[(p["doc_id"], p["project_no"])]
                amount = fact_row["value"]
                source = where(data, p["doc_id"], fact_row["source_line"]) + f"（文字说明：{fact_row['subject']}）"
            else:
                amount, source = None, "未列示金额"
            cost = ""
            if not inds.is_empty():
                costs = inds.filter(
                    (pl.col("doc_id") == p["doc_id"]) & (pl.col("project_no") == p["project_no"]) & pl.col("level2").str.contains("成本")
                )
                cost = "；".join(f"{r['level3']} {r['target_text']}" for r in costs.iter_rows(named=True))
            rows.append(
                (
                    p["project_no"],
                    p["project_name"],
                    "涉密" if p.get("is_classified") else "",
                    amount,
                    source,
                    cost or "无成本指标",
                    flags.get((p["doc_id"], p["project_no"]), ""),
                )
            )
    cols = [ReportColumn("序号", "int"), text_column("项目名称"), text_column("密级"), money_column("金额"), text_column("金额来源"), text_column("成本指标"), text_column("绩效目标提示")]
    return ReportTable("项目支出", "项目支出与绩效目标", cols, rows)


def prose_project_amounts(data: Dataset, projects_frame: pl.DataFrame) -> dict[tuple[str, int], dict]:
    """The prose's per-project amounts matched to projects by name: ``{(doc_id, project_no): fact}``."""
    facts = table_or_empty(data, "narrative_facts")
    if facts.is_empty() or projects_frame.is_empty():
        return {}
    amounts = facts.filter((pl.col("fact") == "project_amount") & ~pl.col("is_derived").fill_null(False))
    result = {}
    for doc_id, group in projects_frame.group_by("doc_id"):
        doc_facts = amounts.filter(pl.col("doc_id") == doc_id[0]).to_dicts()
        names = group["project_name"].to_list()
        for i, j in match_names(names, [f["subject"] or "" for f in doc_facts]).items():
            result[(doc_id[0], group["project_no"][i])] = doc_facts[j]
    return result


def _project_flags(data: Dataset, doc_ids: list[str]) -> dict[tuple[str, int], str]:
    findings = table_or_empty(data, "findings")
    if findings.is_empty():
        return {}
    result: dict[tuple[str, int], list[str]] = {}
    about_projects = pl.col("doc_id").is_in(doc_ids) & (pl.col("table") == "projects") & pl.col("row_no").is_not_null()
    for f in findings.filter(about_projects).iter_rows(named=True):
        result.setdefault((f["doc_id"], f["row_no"]), []).append(f"{SEVERITY_LABELS.get(f['severity'], f['severity'])}：{f['message']}")
    return {k: "；".join(v) for k, v in result.items()}


def plain(text: str | None) -> str:
    """Prose as a reader should see it: LaTeX leftovers of the extraction removed."""
    return strip_latex(text or "")


def goals(data: Dataset, doc_ids: list[str]) -> ReportTable:
    """第一部分 部门整体绩效目标: the overall goal and each item's goal and indicators."""
    frame = table_or_empty(data, "goals")
    rows = []
    if not frame.is_empty():
        frame = frame.filter(pl.col("doc_id").is_in(doc_ids)).sort("doc_id", "source_line")
        for g in frame.iter_rows(named=True):
            title = "总体绩效目标" if g["kind"] == "overall" else (g["item_title"] or "")
            rows.append((title, plain(g["goal"] or g["description"]), plain(g["indicator"]), where(data, g["doc_id"], g["source_line"])))
    cols = [text_column("目标"), text_column("绩效目标"), text_column("绩效指标"), text_column("来源")]
    return ReportTable("整体绩效目标", "部门整体绩效目标", cols, rows, unit="")
