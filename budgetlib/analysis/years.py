"""A department over the years: each headline measure with one value per year.

In: a loaded dataset and a department. Out: for each measure of :data:`MEASURES`
(收入合计, 支出合计, 基本/项目支出, 人员经费, 公用经费, “三公”经费 and its parts,
机关运行经费) the series of its values by year (:func:`series`), and the report tables
built on them: the measures side by side by year (:func:`overview`) and one row per
measure and year with the change against the year before, the rate, and budget
against final account (:func:`detail`).

Where each value comes from, in this order:

1. the tables (or, where the tables do not print it, the prose) of that year's budget
   disclosure, read as the rest of the report reads them
   (:func:`budgetlib.analysis.department.figures_of`, the 三公 rows by meaning);
2. for a year without a disclosure (or whose disclosure does not state the measure),
   the prior-year figure its successor states in prose (``narrative_facts``
   ``<fact>_prior`` of that year), marked :data:`PRIOR`;
3. otherwise nothing: a missing value stays ``None``, never 0.

A final account of a year gives the 决算数; its budget is the same year's budget
disclosure, or the 年初预算 the final account states in prose (``<fact>_budget``).
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from budgetlib.analysis.department import figures_of
from budgetlib.analysis.departments import Department
from budgetlib.analysis.figures import Figure
from budgetlib.analysis.lookups import NO_FIGURE, disclosure_documents, ratio, table_or_empty, where
from budgetlib.analysis.report_table import ReportColumn, ReportTable, money_column, text_column
from budgetlib.analysis.three_public import printed_empty, three_public_figures
from budgetlib.store.load import PRINTS_TABLES, Dataset
from budgetlib.vocab.facts import budget_key, prior_key

#: (fact key, Chinese label) of each measure followed over the years, in report order.
MEASURES: tuple[tuple[str, str], ...] = (
    ("total_income", "收入合计"),
    ("total_expenditure", "支出合计"),
    ("basic_expenditure", "基本支出"),
    ("project_expenditure", "项目支出"),
    ("personnel", "人员经费"),
    ("public_use", "公用经费"),
    ("three_public_total", "“三公”经费合计"),
    ("three_public_abroad", "因公出国（境）费"),
    ("three_public_vehicle", "公务用车购置及运维费"),
    ("three_public_vehicle_purchase", "公务用车购置费"),
    ("three_public_vehicle_operation", "公务用车运行维护费"),
    ("three_public_reception", "公务接待费"),
    ("operating_cost", "机关运行经费"),
)
LABELS = dict(MEASURES)
#: How a value was obtained (the 数据来源 column).
TABLE, PROSE, PRIOR, EMPTY_TABLE = "本年公开表", "本年文字说明", "次年文件所述上年数", "空表列示"
FINAL_BUDGET = "决算所述年初预算"
RATE = Decimal("0.0001")


@dataclass(frozen=True)
class YearValue:
    """One measure in one year: the budget figure (and the final account's, where published)."""

    year: int
    value: Decimal | None
    kind: str  # TABLE, PROSE, PRIOR, EMPTY_TABLE or "" (missing)
    source: str
    final: Decimal | None = None
    final_source: str = ""
    budget: Decimal | None = None  # the budget the final account is held to
    budget_source: str = ""
    has_budget: bool = False  # the year has a budget disclosure


def _facts_index(data: Dataset) -> dict[tuple[str, str], list[dict]]:
    """(doc_id, fact) -> its rows of ``narrative_facts`` in stored order, built once per dataset
    (a comparison of many departments looks up thousands of facts)."""
    memo = data.memo("years_facts")
    if "index" not in memo:
        index: dict[tuple[str, str], list[dict]] = {}
        facts = table_or_empty(data, "narrative_facts")
        if not facts.is_empty():
            for r in facts.select("doc_id", "fact", "year", "value", "source_line", "is_derived").iter_rows(named=True):
                index.setdefault((r["doc_id"], r["fact"]), []).append(r)
        memo["index"] = index
    return memo["index"]


def fact(data: Dataset, doc_id: str | None, name: str, year: int | None = None) -> Figure:
    """A figure the prose of ``doc_id``'s disclosure states (as :func:`budgetlib.analysis.lookups.fact`, indexed)."""
    if doc_id is None:
        return NO_FIGURE
    index = _facts_index(data)
    for owner in disclosure_documents(data, doc_id):
        for r in index.get((owner, name), ()):
            if year is None or r["year"] == year:
                derived = "（由文字说明推算）" if r["is_derived"] else "（文字说明）"
                return Figure(r["value"], where(data, owner, r["source_line"]) + derived)
    return NO_FIGURE


def documents_by_year(data: Dataset, dept: Department) -> dict[int, dict[str, str]]:
    """year -> {doc_kind: doc_id}: the department's budget and final-account disclosure of each year
    (of a disclosure in two files, the one with the tables, as the rest of the report uses)."""
    memo = data.memo("years_documents")
    if "by_id" not in memo:  # one pass over the documents for every department
        docs = data.documents.filter(pl.col("fiscal_year").is_not_null() & pl.col("doc_kind").is_in(["budget", "final_accounts"]))
        docs = docs.with_columns(PRINTS_TABLES.alias("_has_tables")).sort(
            ["fiscal_year", "_has_tables", "doc_id"], descending=[False, True, False]
        )
        memo["by_id"] = {d["doc_id"]: (i, d["fiscal_year"], d["doc_kind"]) for i, d in enumerate(docs.iter_rows(named=True))}
    by_id = memo["by_id"]
    result: dict[int, dict[str, str]] = {}
    for doc_id in sorted((d for d in dept.doc_ids if d in by_id), key=lambda d: by_id[d][0]):
        _, year, kind = by_id[doc_id]
        result.setdefault(year, {}).setdefault(kind, doc_id)
    return result


def _three_public(data: Dataset, doc_id: str) -> tuple[dict[str, Figure], bool]:
    """The printed 三公 rows of a document and whether its table is printed empty, once per document."""
    memo = data.memo("years_three_public")
    if doc_id not in memo:
        memo[doc_id] = (three_public_figures(data, doc_id), printed_empty(data, doc_id))
    return memo[doc_id]


def measure_figure(data: Dataset, doc_id: str | None, measure: str) -> tuple[Figure, str]:
    """One measure as a document gives it, and how (:data:`TABLE`, :data:`PROSE`, :data:`EMPTY_TABLE`, "")."""
    if doc_id is None:
        return NO_FIGURE, ""
    if measure.startswith("three_public_"):
        printed, empty = _three_public(data, doc_id)
        part = measure.removeprefix("three_public_")
        fig = (printed.get("subtotal") or printed.get("total")) if part == "total" else printed.get(part)
        if fig is not None and fig.value is not None:
            return fig, TABLE
        if empty:
            return Figure(Decimal(0), EMPTY_TABLE), EMPTY_TABLE
    fig = figures_of(data, doc_id).get(measure)
    if fig is not None and fig.value is not None:
        return fig, PROSE if "文字说明" in fig.source else TABLE
    fig = fact(data, doc_id, measure)
    if fig.value is not None:
        return fig, PROSE
    return NO_FIGURE, ""


def year_span(data: Dataset, docs: dict[int, dict[str, str]]) -> list[int]:
    """Every year with a disclosure, and each year before one whose document states a prior-year figure."""
    span = set(docs)
    for y, kinds in docs.items():
        if any(fact(data, kinds.get("budget"), prior_key(m), y - 1).value is not None for m, _ in MEASURES):
            span.add(y - 1)
    return sorted(span)


def series(data: Dataset, dept: Department, measure: str, years: list[int] | None = None) -> list[YearValue]:
    """The measure year by year over the department's :func:`year_span` (``years`` keeps only those)."""
    return department_series(data, dept, years)[measure]


def _series(data: Dataset, docs: dict[int, dict[str, str]], span: list[int], measure: str, years: list[int] | None) -> list[YearValue]:
    return [_year_value(data, docs, measure, year) for year in span if not years or year in years]


def _year_value(data: Dataset, docs: dict[int, dict[str, str]], measure: str, year: int) -> YearValue:
    budget_doc = docs.get(year, {}).get("budget")
    final_doc = docs.get(year, {}).get("final_accounts")
    fig, kind = measure_figure(data, budget_doc, measure)
    if fig.value is None:
        successor = docs.get(year + 1, {}).get("budget")
        prior = fact(data, successor, prior_key(measure), year)
        if prior.value is not None:
            fig, kind = Figure(prior.value, f"{year + 1}年文件所述上年数：{prior.source}"), PRIOR
    final, _ = measure_figure(data, final_doc, measure)
    budget = Figure(fig.value, fig.source) if final_doc and fig.value is not None else NO_FIGURE
    if final_doc and budget.value is None:
        budget = fact(data, final_doc, budget_key(measure))
        if budget.value is not None and fig.value is None:
            fig, kind = budget, FINAL_BUDGET
    return YearValue(year, fig.value, kind, fig.source, final.value, final.source, budget.value, budget.source, budget_doc is not None)


def change(current: Decimal | None, previous: Decimal | None) -> tuple[Decimal | None, Decimal | None]:
    """The change against the year before and its rate (None where either is missing; no rate from 0)."""
    if current is None or previous is None:
        return None, None
    diff = current - previous
    rate = (diff / previous).quantize(RATE, rounding=ROUND_HALF_UP) if previous else None
    return diff, rate


def department_series(data: Dataset, dept: Department, years: list[int] | None = None) -> dict[str, list[YearValue]]:
    """Every measure's series, computed once per department and years."""
    memo = data.memo("years")
    key = (dept.key, tuple(years or ()))
    if key not in memo:
        docs = documents_by_year(data, dept)
        span = year_span(data, docs)
        memo[key] = {m: _series(data, docs, span, m, years) for m, _ in MEASURES}
    return memo[key]


def all_years(by_measure: dict[str, list[YearValue]]) -> list[int]:
    return sorted({v.year for values in by_measure.values() for v in values})


def overview(data: Dataset, dept: Department, years: list[int] | None = None) -> ReportTable:
    """The measures side by side: one row per measure, one column per year."""
    by_measure = department_series(data, dept, years)
    shown = all_years(by_measure)
    rows, prior_notes = [], []
    for measure, label in MEASURES:
        values = {v.year: v for v in by_measure[measure]}
        if not any(v.value is not None or v.final is not None for v in values.values()):
            continue
        rows.append((label, *(values[y].value if y in values else None for y in shown)))
        if any(v.final is not None for v in values.values()):
            rows.append((f"{label}（决算）", *(values[y].final if y in values else None for y in shown)))
        prior_notes += [f"{y}年{label}" for y in shown if y in values and values[y].kind == PRIOR]
    note = "金额为预算数（“（决算）”行为决算数）；空白表示该年度文件未列示或该年度没有公开文件，不是零。"
    if prior_notes:
        note += "其中 " + "、".join(prior_notes) + " 取自次年文件文字说明所述的上年数。"
    note += "以下各指标逐年列示来源；" + DETAIL_NOTE
    cols = [text_column("指标"), *(money_column(f"{y}年") for y in shown)]
    return ReportTable("年度对比", "主要指标的年度对比", cols, rows, note=note)


DETAIL_COLUMNS = [
    text_column("指标"), text_column("年度"), money_column("预算数"), text_column("数据来源"),
    ReportColumn("较上年增减", "money", in_total=False), ReportColumn("增减率", "percent"),
    ReportColumn("决算数", "money", in_total=False), ReportColumn("执行率", "percent"), text_column("来源"),
]


def detail_rows(data: Dataset, dept: Department, measure: str, years: list[int] | None = None) -> list[tuple]:
    """One row per year of one measure: value, how it was obtained, change, rate, 决算数, 执行率, source."""
    rows, previous = [], None
    for v in department_series(data, dept, years)[measure]:
        diff, rate = change(v.value, previous.value if previous and previous.year == v.year - 1 else None)
        execution = ratio(v.final, v.budget)
        source = v.source or ("未列示" if v.has_budget else "该年度没有预算公开文件")
        if v.final is not None:
            source += f"；决算：{v.final_source}"
            if v.budget_source and v.budget_source != v.source:
                source += f"；年初预算：{v.budget_source}"
        rows.append((LABELS[measure], str(v.year), v.value, v.kind or "未列示", diff, rate, v.final, execution, source))
        previous = v
    return rows


def detail(data: Dataset, dept: Department, years: list[int] | None = None, measures: list[str] | None = None) -> ReportTable:
    """Every measure (or ``measures``) year by year, with the change, the rate and 执行率."""
    rows = [r for m, _ in MEASURES if not measures or m in measures for r in detail_rows(data, dept, m, years)]
    title = "年度变化明细" if not measures or len(measures) > 1 else f"{LABELS[measures[0]]}的年度变化"
    # Said once: under the whole table, or (a section per measure) under the overview.
    note = DETAIL_NOTE if not measures or len(measures) > 1 else None
    return ReportTable("年度明细", title, DETAIL_COLUMNS, rows, note=note)


DETAIL_NOTE = "增减与增减率只在相邻两年都有数时计算；执行率 = 决算数 ÷ 预算数（同年预算，或决算文件所述年初预算）。"
