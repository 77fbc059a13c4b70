"""The figures of a department report, each as a :class:`ReportTable` with its source.

In: a loaded dataset and the department's main document. Out: the headline figures
(收入、支出、基本/项目、人员/公用、机关运行经费、“三公”), expenditure by function
and economic class, the shares of total expenditure and the operating cost, each a
:class:`ReportTable`. Every amount is taken from ``line_items`` or ``narrative_facts``
and carries the file and line it came from; derived figures (shares, sums of
economic classes) name what they are derived from. Amounts stay
:class:`decimal.Decimal` throughout. The other sections of the report are
:mod:`.three_public`, :mod:`.projects`, :mod:`.findings_table`,
:mod:`.sources_table` and :mod:`.standard_tables`.
"""
from __future__ import annotations


import polars as pl

from budgetlib.analysis.figures import Figure, document_figures
from budgetlib.analysis.lookups import NO_FIGURE, disclosure_documents, items_of, ratio, where
from budgetlib.analysis.report_table import ReportColumn, ReportTable, money_column, text_column
from budgetlib.store.load import Dataset


def figures_of(data: Dataset, doc_id: str | None) -> dict[str, Figure]:
    """The headline figures of a document, printed or derived (the ``headlines`` table; empty for none)."""
    if doc_id is None:
        return {}
    cache = data.__dict__.setdefault("_analysis_cache", {}).setdefault("figures", {})
    if doc_id not in cache:
        figures: dict[str, Figure] = {}
        for owner in reversed(disclosure_documents(data, doc_id)):  # the document's own figures win
            figures.update(document_figures(data, owner))
        cache[doc_id] = figures
    return cache[doc_id]


def operating_cost_figure(data: Dataset, doc_id: str | None) -> Figure:
    """机关运行经费 as the prose states it, else from a table that prints it (Jiangsu 公开11表)."""
    return figures_of(data, doc_id).get("operating_cost", Figure(None, ""))


def headline(data: Dataset, doc_id: str | None) -> ReportTable:
    """收入、支出、基本/项目、人员/公用: the figures an auditor looks at first."""
    figs = figures_of(data, doc_id)
    rows = [
        ("本年收入合计", figs.get("total_income", NO_FIGURE)),
        ("本年支出合计", figs.get("total_expenditure", NO_FIGURE)),
        ("基本支出", figs.get("basic_expenditure", NO_FIGURE)),
        ("项目支出", figs.get("project_expenditure", NO_FIGURE)),
        ("人员经费", figs.get("personnel", NO_FIGURE)),
        ("公用经费", figs.get("public_use", NO_FIGURE)),
        ("机关运行经费", operating_cost_figure(data, doc_id)),
        ("“三公”经费", figs.get("three_public_total", NO_FIGURE)),
    ]
    return ReportTable(
        "主要指标",
        "主要指标",
        [text_column("指标"), money_column("金额"), text_column("来源")],
        [(label, f.value, f.source or "未列示") for label, f in rows],
    )


def _class_rows(data: Dataset, doc_id: str | None, table: str) -> pl.DataFrame:
    if doc_id is None:
        return pl.DataFrame()
    wide = data.wide(table, doc_id)
    lines = (
        items_of(data, doc_id, table)
        .filter(pl.col("col_no") == 3)
        .select("row_no", "source_line")
    )
    return wide.filter(pl.col("code").str.len_chars() == 3).join(lines, on="row_no", how="left").sort("row_no")


def function_classes(data: Dataset, doc_id: str | None) -> ReportTable:
    """支出总表 by function class (类): total, basic and project (from the 一般公共预算
    支出表 where a scheme prints no 支出总表 by function subject, as Jiangsu does)."""
    classes = _class_rows(data, doc_id, "expenditure")
    if classes.is_empty():
        classes = _class_rows(data, doc_id, "gpb_expenditure")
    rows = [
        (r["code"], r["name"], r["total"], r.get("basic"), r.get("project"), where(data, doc_id, r["source_line"]))
        for r in classes.iter_rows(named=True)
    ]
    cols = [text_column("科目编码"), text_column("科目名称"), money_column("合计"), money_column("基本支出"), money_column("项目支出"), text_column("来源")]
    return ReportTable("支出功能分类", "支出按功能分类（类级）", cols, rows, total_row="合计（各类之和）")


def economic_classes(data: Dataset, doc_id: str | None) -> ReportTable:
    """基本支出 by economic class (类): total, personnel and public-use."""
    rows = [
        (r["code"], r["name"], r["total"], r["personnel"], r["public_use"], where(data, doc_id, r["source_line"]))
        for r in _class_rows(data, doc_id, "gpb_basic_expenditure").iter_rows(named=True)
    ]
    cols = [text_column("科目编码"), text_column("科目名称"), money_column("合计"), money_column("人员经费"), money_column("公用经费"), text_column("来源")]
    return ReportTable("基本支出经济分类", "一般公共预算基本支出按经济分类（类级）", cols, rows, total_row="合计（各类之和）")


def shares(data: Dataset, doc_id: str | None) -> ReportTable:
    """人员经费、公用经费、项目支出 as shares of total expenditure."""
    figs = figures_of(data, doc_id)
    total = figs.get("total_expenditure", NO_FIGURE)
    parts = [
        ("人员经费", figs.get("personnel", NO_FIGURE)),
        ("公用经费", figs.get("public_use", NO_FIGURE)),
        ("基本支出", figs.get("basic_expenditure", NO_FIGURE)),
        ("项目支出", figs.get("project_expenditure", NO_FIGURE)),
    ]
    rows = [(label, f.value, ratio(f.value, total.value), f.source) for label, f in parts]
    rows.append(("支出合计", total.value, ratio(total.value, total.value), total.source))
    cols = [text_column("项目"), money_column("金额"), ReportColumn("占支出合计比例", "percent"), text_column("来源")]
    return ReportTable("支出结构", "支出结构：人员经费、公用经费与项目支出占比", cols, rows)


def operating_cost(data: Dataset, doc_id: str | None) -> ReportTable:
    """机关运行经费 as the prose states it, beside the table's 公用经费."""
    cost = operating_cost_figure(data, doc_id)
    public = figures_of(data, doc_id).get("public_use", NO_FIGURE)
    share = ratio(cost.value, public.value)
    rows = [
        ("机关运行经费", cost.value, cost.source or "未列示"),
        ("公用经费（基本支出表）", public.value, public.source),
    ]
    note = f"机关运行经费为公用经费的 {share * 100:.2f}%。" if share is not None else None
    return ReportTable("机关运行经费", "机关运行经费", [text_column("项目"), money_column("金额"), text_column("来源")], rows, note=note)
