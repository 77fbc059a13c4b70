"""The figures of a department report, each as a :class:`ReportTable` with its source.

Every amount is taken from ``line_items`` or ``narrative_facts`` and carries the
file and line it came from; derived figures (shares, changes) name what they
are derived from. Amounts stay :class:`decimal.Decimal` throughout.
"""
from __future__ import annotations

from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from budgetlib import __version__
from budgetlib.vocab.contract import SEVERITY_LABELS
from budgetlib.analysis.departments import Department
from budgetlib.analysis.figures import Figure, headline_figures
from budgetlib.vocab.sources import cite
from budgetlib.analysis.report_table import ReportColumn
from budgetlib.store.load import Dataset
from budgetlib.analysis.matching import match_names
from budgetlib.analysis.report_table import ReportTable
from budgetlib.vocab.tables import TABLES_BY_KEY, THREE_PUBLIC_ITEMS, three_public_key
from budgetlib.vocab.text import canon, strip_latex

SEVERITY_ORDER = {"error": 0, "warning": 1, "rounding": 2, "info": 3}
RATIO = Decimal("0.0001")


def _frame(data: Dataset, name: str) -> pl.DataFrame:
    return data[name] if name in data.names else pl.DataFrame()


def _documents_index(data: Dataset) -> dict[str, tuple[str, str]]:
    """doc_id -> (source_file, source_format), built once per dataset."""
    cache = data.__dict__.setdefault("_analysis_cache", {})
    if "documents" not in cache:
        cache["documents"] = {
            d: (f, fmt) for d, f, fmt in data.documents.select("doc_id", "source_file", "source_format").iter_rows()
        }
    return cache["documents"]


def where(data: Dataset, doc_id: str, line: int | None) -> str:
    """``文件 第N行`` (``第P页第N行`` for PDF): where an auditor finds the figure."""
    file, fmt = _documents_index(data).get(doc_id, (doc_id, None))
    return cite(file, fmt, line)


def main_document(data: Dataset, dept: Department, year: int | None = None) -> str | None:
    """The department's budget (else final-accounts) document for ``year`` (default: latest)."""
    docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids)))
    if year is not None:
        docs = docs.filter(pl.col("fiscal_year") == year)
    for kind in ("budget", "final_accounts", "performance"):
        hit = docs.filter(pl.col("doc_kind") == kind).sort("fiscal_year", descending=True)
        if hit.height:
            return hit["doc_id"][0]
    return None


def _items(data: Dataset, doc_id: str, table: str) -> pl.DataFrame:
    return data.line_items.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == table))


def _total_row(items: pl.DataFrame) -> pl.DataFrame:
    """The 合计 row of a subject table: no code, labelled 合计."""
    return items.filter(pl.col("code").is_null() & (pl.col("item").map_elements(canon, return_dtype=pl.String) == "合计"))


def table_figure(data: Dataset, doc_id: str | None, table: str, column: str, *, item: str | None = None, code: str | None = None) -> Figure:
    """One printed cell: the 合计 row (default), a row by item label, or by code."""
    if doc_id is None:
        return Figure(None, "")
    items = _items(data, doc_id, table).filter(pl.col("column") == column)
    if code is not None:
        items = items.filter(pl.col("code") == code)
    elif item is not None:
        items = items.filter(pl.col("item").map_elements(canon, return_dtype=pl.String) == canon(item))
    else:
        items = _total_row(items)
    if items.is_empty():
        return Figure(None, f"{TABLES_BY_KEY[table].name}未列示")
    row = items.row(0, named=True)
    return Figure(row["value"], where(data, doc_id, row["source_line"]))


def fact(data: Dataset, doc_id: str | None, name: str, year: int | None = None) -> Figure:
    facts = _frame(data, "narrative_facts")
    if doc_id is None or facts.is_empty():
        return Figure(None, "")
    hit = facts.filter((pl.col("doc_id") == doc_id) & (pl.col("fact") == name))
    if year is not None:
        hit = hit.filter(pl.col("year") == year)
    if hit.is_empty():
        return Figure(None, "")
    row = hit.row(0, named=True)
    derived = "（由文字说明推算）" if row.get("is_derived") else "（文字说明）"
    return Figure(row["value"], where(data, doc_id, row["source_line"]) + derived)


def operating_cost_figure(data: Dataset, doc_id: str | None) -> Figure:
    """机关运行经费 as the prose states it, else from a table that prints it (Jiangsu 公开11表)."""
    stated = fact(data, doc_id, "operating_cost")
    if stated.value is not None or doc_id is None:
        return stated
    printed = table_figure(data, doc_id, "operating_cost_expenditure", "total")
    return printed if printed.value is not None else Figure(None, "")


def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (part / whole).quantize(RATIO, rounding=ROUND_HALF_UP)


def _money(header: str) -> ReportColumn:
    return ReportColumn(header, "money")


def _text(header: str) -> ReportColumn:
    return ReportColumn(header, "text")


def figures_of(data: Dataset, doc_id: str | None) -> dict[str, Figure]:
    """The headline figures of a document wherever its scheme prints them (empty for none)."""
    if doc_id is None:
        return {}
    cache = data.__dict__.setdefault("_analysis_cache", {}).setdefault("figures", {})
    if doc_id not in cache:
        figs = dict(headline_figures(data, doc_id))
        for name, codes in _BY_ECONOMIC_CLASS.items():
            if figs.get(name, _NONE).value is None:
                figs[name] = _economic_sum(data, doc_id, codes)
        if figs.get("three_public_total", _NONE).value is None and _printed_empty(data, doc_id):
            figs["three_public_total"] = Figure(Decimal(0), "“三公”经费表空表列示")
        cache[doc_id] = figs
    return cache[doc_id]


#: Where a basic-expenditure table prints no 人员经费/公用经费 columns (Jiangsu), they are
#: derived from its economic classes, as DOMAIN.md describes them.
_BY_ECONOMIC_CLASS = {"personnel": ("301", "303"), "public_use": ("302", "310")}


def _economic_sum(data: Dataset, doc_id: str, codes: tuple[str, ...]) -> Figure:
    rows = _items(data, doc_id, "gpb_basic_expenditure").filter(
        pl.col("code").is_in(list(codes)) & (pl.col("column") == "total")
    )
    if rows.is_empty():
        return _NONE
    parts = "、".join(f"{r['code']} {where(data, doc_id, r['source_line'])}" for r in rows.iter_rows(named=True))
    return Figure(sum(rows["value"].to_list(), Decimal(0)), f"由经济分类推算：{parts}")


_NONE = Figure(None, "")


def headline(data: Dataset, doc_id: str | None) -> ReportTable:
    """收入、支出、基本/项目、人员/公用: the figures an auditor looks at first."""
    figs = figures_of(data, doc_id)
    rows = [
        ("本年收入合计", figs.get("total_income", _NONE)),
        ("本年支出合计", figs.get("total_expenditure", _NONE)),
        ("基本支出", figs.get("basic_expenditure", _NONE)),
        ("项目支出", figs.get("project_expenditure", _NONE)),
        ("人员经费", figs.get("personnel", _NONE)),
        ("公用经费", figs.get("public_use", _NONE)),
        ("机关运行经费", operating_cost_figure(data, doc_id)),
        ("“三公”经费", figs.get("three_public_total", _NONE)),
    ]
    return ReportTable(
        "主要指标",
        "主要指标",
        [_text("指标"), _money("金额"), _text("来源")],
        [(label, f.value, f.source or "未列示") for label, f in rows],
    )


def _class_rows(data: Dataset, doc_id: str | None, table: str) -> pl.DataFrame:
    if doc_id is None:
        return pl.DataFrame()
    wide = data.wide(table, doc_id)
    lines = (
        _items(data, doc_id, table)
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
    cols = [_text("科目编码"), _text("科目名称"), _money("合计"), _money("基本支出"), _money("项目支出"), _text("来源")]
    return ReportTable("支出功能分类", "支出按功能分类（类级）", cols, rows, total_row="合计（各类之和）")


def economic_classes(data: Dataset, doc_id: str | None) -> ReportTable:
    """基本支出 by economic class (类): total, personnel and public-use."""
    rows = [
        (r["code"], r["name"], r["total"], r["personnel"], r["public_use"], where(data, doc_id, r["source_line"]))
        for r in _class_rows(data, doc_id, "gpb_basic_expenditure").iter_rows(named=True)
    ]
    cols = [_text("科目编码"), _text("科目名称"), _money("合计"), _money("人员经费"), _money("公用经费"), _text("来源")]
    return ReportTable("基本支出经济分类", "一般公共预算基本支出按经济分类（类级）", cols, rows, total_row="合计（各类之和）")


def shares(data: Dataset, doc_id: str | None) -> ReportTable:
    """人员经费、公用经费、项目支出 as shares of total expenditure."""
    figs = figures_of(data, doc_id)
    total = figs.get("total_expenditure", _NONE)
    parts = [
        ("人员经费", figs.get("personnel", _NONE)),
        ("公用经费", figs.get("public_use", _NONE)),
        ("基本支出", figs.get("basic_expenditure", _NONE)),
        ("项目支出", figs.get("project_expenditure", _NONE)),
    ]
    rows = [(label, f.value, ratio(f.value, total.value), f.source) for label, f in parts]
    rows.append(("支出合计", total.value, ratio(total.value, total.value), total.source))
    cols = [_text("项目"), _money("金额"), ReportColumn("占支出合计比例", "percent"), _text("来源")]
    return ReportTable("支出结构", "支出结构：人员经费、公用经费与项目支出占比", cols, rows)


def three_public_figures(data: Dataset, doc_id: str | None) -> dict[str, Figure]:
    """The printed 三公 rows of a document (合计 column) by meaning."""
    if doc_id is None:
        return {}
    result: dict[str, Figure] = {}
    printed = _items(data, doc_id, "three_public")
    column = "total" if (printed["column"] == "total").any() else "gpb"
    for r in printed.filter(pl.col("column") == column).iter_rows(named=True):
        key = three_public_key(r["item"])
        if key and key not in result:
            result[key] = Figure(r["value"], where(data, doc_id, r["source_line"]))
    if "total" not in result and "subtotal" in result:
        result["total"] = result["subtotal"]
    return result


_PRIOR_FACT = {"total": "three_public_prior_total"}
_SHOWN_PARTS = ["total", "subtotal", "abroad", "vehicle", "vehicle_purchase", "vehicle_operation", "reception", "meeting", "training"]
#: Shown only when printed: Hebei's 合计 equals its 小计; Jiangsu adds 会议费 and 培训费 to its 合计.
_OPTIONAL_PARTS = {"subtotal", "meeting", "training"}


def three_public(data: Dataset, doc_id: str | None, year: int | None) -> ReportTable:
    """三公经费 by category: this year's table, last year's and the change from the prose."""
    figures = three_public_figures(data, doc_id)
    empty_table = _printed_empty(data, doc_id)
    rows = []
    for key in _SHOWN_PARTS:
        label = THREE_PUBLIC_ITEMS[key][0]
        fig = figures.get(key)
        same_as_total = key == "subtotal" and fig is not None and "total" in figures and fig.value == figures["total"].value
        if key in _OPTIONAL_PARTS and (fig is None or same_as_total):
            continue
        if fig is not None:
            value, source = fig.value, fig.source
        elif empty_table:
            value, source = Decimal(0), "空表列示"
        else:
            value, source = None, "表中空白" if doc_id else ""
        prior = fact(data, doc_id, _PRIOR_FACT.get(key, f"three_public_{key}_prior"), (year - 1) if year else None)
        change = fact(data, doc_id, "three_public_change" if key == "total" else f"three_public_{key}_change")
        rows.append((label, value, prior.value, change.value, source, prior.source or change.source))
    cols = [_text("类别"), _money("本年预算"), _money("上年"), _money("增减"), _text("本年来源"), _text("上年来源")]
    return ReportTable("三公经费", "“三公”经费（财政拨款）", cols, rows)


def _printed_empty(data: Dataset, doc_id: str | None) -> bool:
    tables = _frame(data, "document_tables")
    if doc_id is None or tables.is_empty():
        return False
    hit = tables.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == "three_public"))
    return hit.height == 1 and hit["numbers"].item() == 0


def three_public_trend(data: Dataset, dept: Department) -> ReportTable:
    """三公 total by year: printed tables of every loaded year, and prior years from the prose."""
    by_year: dict[int, tuple[Decimal | None, str]] = {}
    docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids)) & (pl.col("doc_kind") != "performance"))
    for doc in docs.sort("fiscal_year").iter_rows(named=True):
        year = doc["fiscal_year"]
        prior = fact(data, doc["doc_id"], "three_public_prior_total")
        if year and prior.value is not None and (year - 1) not in by_year:
            by_year[year - 1] = (prior.value, prior.source)
        printed = three_public_figures(data, doc["doc_id"])
        fig = printed.get("subtotal") or printed.get("total")
        if year and fig is not None:
            by_year[year] = (fig.value, fig.source)
        elif year and _printed_empty(data, doc["doc_id"]):
            by_year[year] = (Decimal(0), "空表列示")
    rows = [(str(y), v, s) for y, (v, s) in sorted(by_year.items())]
    return ReportTable("三公趋势", "“三公”经费合计的年度变化", [_text("年度"), _money("合计"), _text("来源")], rows)


def operating_cost(data: Dataset, doc_id: str | None) -> ReportTable:
    """机关运行经费 as the prose states it, beside the table's 公用经费."""
    cost = operating_cost_figure(data, doc_id)
    public = figures_of(data, doc_id).get("public_use", _NONE)
    share = ratio(cost.value, public.value)
    rows = [
        ("机关运行经费", cost.value, cost.source or "未列示"),
        ("公用经费（基本支出表）", public.value, public.source),
    ]
    note = f"机关运行经费为公用经费的 {share * 100:.2f}%。" if share is not None else None
    return ReportTable("机关运行经费", "机关运行经费", [_text("项目"), _money("金额"), _text("来源")], rows, note=note)


def projects(data: Dataset, dept: Department, doc_ids: list[str] | None = None) -> ReportTable:
    """Each project with its amount, cost indicators and target-quality flags."""
    doc_ids = doc_ids or list(dept.doc_ids)
    proj = _frame(data, "projects")
    rows = []
    if not proj.is_empty():
        proj = proj.filter(pl.col("doc_id").is_in(doc_ids)).sort("doc_id", "project_no")
        inds = _frame(data, "indicators")
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
    cols = [ReportColumn("序号", "int"), _text("项目名称"), _text("密级"), _money("金额"), _text("金额来源"), _text("成本指标"), _text("绩效目标提示")]
    return ReportTable("项目支出", "项目支出与绩效目标", cols, rows)


def prose_project_amounts(data: Dataset, projects_frame: pl.DataFrame) -> dict[tuple[str, int], dict]:
    """The prose's per-project amounts matched to projects by name: ``{(doc_id, project_no): fact}``."""
    facts = _frame(data, "narrative_facts")
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
    findings = _frame(data, "findings")
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
    frame = _frame(data, "goals")
    rows = []
    if not frame.is_empty():
        frame = frame.filter(pl.col("doc_id").is_in(doc_ids)).sort("doc_id", "source_line")
        for g in frame.iter_rows(named=True):
            title = "总体绩效目标" if g["kind"] == "overall" else (g["item_title"] or "")
            rows.append((title, plain(g["goal"] or g["description"]), plain(g["indicator"]), where(data, g["doc_id"], g["source_line"])))
    cols = [_text("目标"), _text("绩效目标"), _text("绩效指标"), _text("来源")]
    return ReportTable("整体绩效目标", "部门整体绩效目标", cols, rows, unit="")


def findings(data: Dataset, doc_ids: list[str]) -> ReportTable:
    """Audit findings, errors first, each pointing at its table and source line."""
    frame = _frame(data, "findings")
    rows = []
    if not frame.is_empty():
        frame = frame.filter(pl.col("doc_id").is_in(doc_ids)).with_columns(
            pl.col("severity").replace_strict(SEVERITY_ORDER, default=9).alias("_order")
        ).sort("_order", "doc_id", "table", "row_no", "col_no", nulls_last=True)
        for f in frame.iter_rows(named=True):
            table = TABLES_BY_KEY[f["table"]].name if f["table"] in TABLES_BY_KEY else (f["table"] or "")
            rows.append(
                (
                    SEVERITY_LABELS.get(f["severity"], f["severity"]),
                    f["check"],
                    table,
                    f["row_no"],
                    f["col_no"],
                    f["expected"],
                    f["actual"],
                    f["difference"],
                    f["message"],
                    where(data, f["doc_id"], f["source_line"]),
                )
            )
    cols = [
        _text("严重程度"), _text("规则"), _text("表"), ReportColumn("序号", "int"), ReportColumn("栏次", "int"),
        ReportColumn("应为", "money", in_total=False), ReportColumn("实为", "money", in_total=False),
        ReportColumn("差额", "money", in_total=False), _text("说明"), _text("来源"),
    ]
    return ReportTable("审核发现", "审核发现（错误在前）", cols, rows)


def finding_counts(data: Dataset, doc_ids: list[str]) -> dict[str, int]:
    frame = _frame(data, "findings")
    if frame.is_empty():
        return {k: 0 for k in SEVERITY_ORDER}
    counts = dict(frame.filter(pl.col("doc_id").is_in(doc_ids)).group_by("severity").len().iter_rows())
    return {k: counts.get(k, 0) for k in SEVERITY_ORDER}


def sources(data: Dataset, doc_ids: list[str]) -> ReportTable:
    """The documents a report is built from, with their hashes, and the run's version and time."""
    docs = data.documents.filter(pl.col("doc_id").is_in(doc_ids)).sort("fiscal_year", "source_file")
    rows = [
        (d["source_file"], d["sha256"], d["source_format"], str(d["fiscal_year"] or ""), d["doc_kind"])
        for d in docs.iter_rows(named=True)
    ]
    table = ReportTable(
        "来源",
        "数据来源",
        [_text("文件"), _text("SHA-256"), _text("文本格式"), _text("年度"), _text("类型")],
        rows,
        unit="",
    )
    table.note = f"budgetlib {__version__}；生成时间 {run_time()}"
    return table


def run_time() -> str:
    return datetime.now(timezone.utc).astimezone().strftime("%Y-%m-%d %H:%M:%S %Z")


def standard_table(data: Dataset, doc_id: str, table: str) -> ReportTable:
    """One standard table as printed (wide), with Chinese headers, for the workbook.

    Columns follow the document's own layout (its naming scheme); a table printed
    transposed (Shanghai's 三公 in one row) is shown in the national row form.
    """
    spec = TABLES_BY_KEY[table]
    wide = data.wide(table, doc_id)
    layout = spec.layout(_scheme(data, doc_id, table))
    columns = layout.columns if layout is not None and not layout.transposed else spec.columns
    cols = [ReportColumn("序号", "int")]
    keys = ["row_no"]
    for c in columns:
        if c.kind == "amount" and c.key not in wide.columns:
            continue
        if c.kind == "code":
            cols.append(_text(c.label))
            keys.append("code")
        elif c.kind == "label":
            if c.key not in wide.columns:
                continue
            cols.append(_text(c.label))
            keys.append(c.key)
        else:
            cols.append(ReportColumn(c.label, "money", in_total=False))
            keys.append(c.key)
    rows = [tuple(r[k] for k in keys) for r in wide.iter_rows(named=True)]
    return ReportTable(spec.name, spec.name, cols, rows)


def _scheme(data: Dataset, doc_id: str, table: str) -> str | None:
    tables = _frame(data, "document_tables")
    if tables.is_empty() or "layout" not in tables.columns:
        return None
    hit = tables.filter((pl.col("doc_id") == doc_id) & (pl.col("table") == table))
    return hit["layout"][0] if hit.height else None
