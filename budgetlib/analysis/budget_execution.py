"""Budget against final accounts: how much of each budgeted line was spent (执行率).

When a department's budget (部门预算) and final accounts (部门决算) of the same
year are both loaded, each line printed in both is paired: subject rows by
table, code and column (``2011301`` 行政运行 合计), labelled rows by their label
(``本年支出合计``), 三公 rows by meaning (公务接待费). The execution rate is
决算数 ÷ 预算数. A line the final accounts print blank, in a table they do
print, was not spent (决算数 0); a line the budget leaves blank has no rate.

The 决算 三公 table prints its own 预算数 beside each 决算数 (column ``budget``);
those pairs are listed too, so a final account alone still shows its 三公
execution.

>>> from budgetlib.analysis.budget_execution import execution                         # doctest: +SKIP
>>> execution(data, dept)          # a ReportTable for the department report
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

from budgetlib.analysis.departments import Department
from budgetlib.analysis.report_table import ReportColumn
from budgetlib.vocab.sources import cite
from budgetlib.store.load import PRINTS_TABLES, Dataset
from budgetlib.analysis.report_table import ReportTable
from budgetlib.vocab.tables import TABLES_BY_KEY, three_public_key
from budgetlib.vocab.labels import BARE_TOTALS, plain_name

RATE = Decimal("0.0001")

#: What is compared, table -> the columns whose budget and final figures are paired.
COMPARED: dict[str, tuple[str, ...]] = {
    "income_expense_summary": ("income_amount", "expenditure_amount"),
    "expenditure": ("total", "basic", "project"),
    "gpb_expenditure": ("total", "basic", "project"),
    "gpb_basic_expenditure": ("total", "personnel", "public_use"),
    "three_public": ("total", "gpb"),
}


def year_pairs(data: Dataset, dept: Department) -> list[tuple[int, str, str]]:
    """``(year, budget doc_id, final-accounts doc_id)`` for each year the department has both."""
    docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids)))
    pairs = []
    for year in sorted({y for y in docs["fiscal_year"].to_list() if y is not None}):
        of_year = docs.filter(pl.col("fiscal_year") == year)
        # Of a disclosure's text and tables, the file with the tables.
        order = dict(by=[PRINTS_TABLES, pl.col("source_file")], descending=[True, False])
        budget = of_year.filter(pl.col("doc_kind") == "budget").sort(**order)["doc_id"].to_list()
        final = of_year.filter(pl.col("doc_kind") == "final_accounts").sort(**order)["doc_id"].to_list()
        if budget and final:
            pairs.append((year, budget[0], final[0]))
    return pairs


def _key(table: str, row: dict) -> tuple | None:
    """What identifies a line across the two documents (None: not compared)."""
    if table == "three_public":
        meaning = three_public_key(row["item"])
        return (table, meaning, None) if meaning else None
    if row["code"]:
        return (table, row["code"], None)
    item = plain_name(row["item"])
    if item and (table == "income_expense_summary" or item in BARE_TOTALS):
        return (table, None, item)
    return None


def _lines(data: Dataset, doc_id: str) -> dict[tuple, dict]:
    """Compared lines of one document: key (table, code/meaning, label, column) -> row.

    三公 rows are compared on their 合计 column, or the 一般公共预算 column of a
    layout that prints only that (Jiangsu).
    """
    items = data.line_items.filter(pl.col("doc_id") == doc_id).sort("table", "row_no", "col_no")
    result: dict[tuple, dict] = {}
    for row in items.iter_rows(named=True):
        columns = COMPARED.get(row["table"])
        if not columns or row["column"] not in columns:
            continue
        key = _key(row["table"], row)
        if key is None:
            continue
        column = "total" if row["table"] == "three_public" else row["column"]
        if row["column"] == "total" or (*key, column) not in result:
            result[(*key, column)] = row
    return result


def _printed_tables(data: Dataset, doc_id: str) -> set[str]:
    tables = data.document_tables if "document_tables" in data.names else pl.DataFrame()
    if tables.is_empty():
        return set()
    return set(tables.filter(pl.col("doc_id") == doc_id)["table"].to_list())


def rate(final: Decimal | None, budget: Decimal | None) -> Decimal | None:
    """决算数 ÷ 预算数, to 0.01% (None without a budget figure, or a budget of 0)."""
    if final is None or not budget:
        return None
    return (final / budget).quantize(RATE, rounding=ROUND_HALF_UP)


def _where(data: Dataset, doc_id: str, line: int | None, blank: str = "") -> str:
    """``文件 第14页第23行`` (the line in the words of the document's format)."""
    if line is None:
        return blank
    doc = data.documents.filter(pl.col("doc_id") == doc_id)
    if doc.is_empty():
        return cite(None, None, line)
    return cite(doc["source_file"].item(), doc["source_format"].item(), line)


def _label(row: dict) -> str:
    return " ".join(t for t in (row.get("code"), row.get("item")) if t) or ""


def execution_rows(data: Dataset, dept: Department, year: int | None = None) -> list[tuple]:
    """The rows of :func:`execution`, in table and printed order."""
    rows = []
    for pair_year, budget_doc, final_doc in year_pairs(data, dept):
        if year is not None and pair_year != year:
            continue
        budget, final = _lines(data, budget_doc), _lines(data, final_doc)
        final_tables = _printed_tables(data, final_doc)
        for key, b in sorted(budget.items(), key=lambda kv: (kv[1]["table"], kv[1]["row_no"], kv[1]["col_no"])):
            f = final.get(key)
            table = key[0]
            if f is None and table not in final_tables:
                continue
            final_value = f["value"] if f else Decimal(0)
            rows.append(
                (
                    str(pair_year),
                    TABLES_BY_KEY[table].name,
                    _label(b),
                    _column_label(table, b["col_no"]),
                    b["value"],
                    final_value,
                    rate(final_value, b["value"]),
                    _where(data, budget_doc, b["source_line"]),
                    _where(data, final_doc, f["source_line"] if f else None, "决算表中空白"),
                )
            )
    rows += _own_budget_rows(data, dept, year)
    return rows


def _own_budget_rows(data: Dataset, dept: Department, year: int | None) -> list[tuple]:
    """决算 三公 tables: the 预算数 (column ``budget``) they print beside each 决算数."""
    docs = data.documents.filter(pl.col("doc_id").is_in(list(dept.doc_ids)) & (pl.col("doc_kind") == "final_accounts"))
    if year is not None:
        docs = docs.filter(pl.col("fiscal_year") == year)
    rows = []
    for doc in docs.sort("fiscal_year", "source_file").iter_rows(named=True):
        items = data.line_items.filter((pl.col("doc_id") == doc["doc_id"]) & (pl.col("table") == "three_public"))
        by_row: dict[int, dict[str, dict]] = {}
        for row in items.iter_rows(named=True):
            by_row.setdefault(row["row_no"], {})[row["column"]] = row
        for row_no in sorted(by_row):
            cells = by_row[row_no]
            b, f = cells.get("budget"), cells.get("total")
            if b is None:
                continue
            final_value = f["value"] if f else Decimal(0)
            rows.append(
                (
                    str(doc["fiscal_year"] or ""),
                    TABLES_BY_KEY["three_public"].name + "（决算表所列预算数）",
                    b["item"] or "",
                    "预算数/决算数",
                    b["value"],
                    final_value,
                    rate(final_value, b["value"]),
                    _where(data, doc["doc_id"], b["source_line"]),
                    _where(data, doc["doc_id"], f["source_line"] if f else None, "决算表中空白"),
                )
            )
    return rows


def _column_label(table: str, col_no: int) -> str:
    column = TABLES_BY_KEY[table].column(col_no)
    return column.label if column else f"第{col_no}栏"


COLUMNS = [
    ReportColumn("年度", "text"),
    ReportColumn("表", "text"),
    ReportColumn("项目", "text"),
    ReportColumn("栏目", "text"),
    ReportColumn("预算数", "money", in_total=False),
    ReportColumn("决算数", "money", in_total=False),
    ReportColumn("执行率", "percent"),
    ReportColumn("预算来源", "text"),
    ReportColumn("决算来源", "text"),
]


def execution(data: Dataset, dept: Department, year: int | None = None) -> ReportTable:
    """预算执行情况: each line printed in both the budget and the final accounts of a year.

    Also the 预算数 a 决算 三公 table prints beside its 决算数. Empty (with a note)
    when the department has no year with both documents loaded.
    """
    rows = execution_rows(data, dept, year)
    table = ReportTable("预算执行", "预算执行情况（决算数与预算数对比）", COLUMNS, rows)
    if not year_pairs(data, dept):
        table.note = "未同时载入同一年度的部门预算和部门决算，无法逐项对比；仅列出决算表自带的预算数。"
    return table
