"""Where each headline figure (收入合计, 支出合计, 基本支出 …) is printed, declared once.

A figure such as 收入合计 is printed in a different place by each naming scheme
(Shanghai has no 本年收入合计, only 收入总计; Jiangsu's 当年支出小计 stands in its 支出用途
column; the 决算 基本支出表 prints 人员经费合计 as a row). :data:`HEADLINES` lists, per
figure (keyed as the prose facts of :mod:`budgetlib.vocab.facts`), the places it may
stand in, tried in order: a table, its column keys (first printed wins) and the row,
named by its kind (the table's total row, a 收支总表 side's year or grand total, a
label, a 序号, a 三公 meaning …). Two readers use it: the reports
(:mod:`budgetlib.analysis.figures`, over line items) and the prose check
(:mod:`budgetlib.checks.prose`, over a document's view); a place marked for one reader
only is one the other has never used (the prose holds the prose to the detailed
tables first, the reports read the 收支总表 first). Plain data, no I/O.
"""
from __future__ import annotations

from dataclasses import dataclass

from budgetlib.vocab import labels

#: Readers of the declaration.
REPORTS = "reports"
PROSE = "prose"
BOTH = frozenset({REPORTS, PROSE})

# Row kinds.
#: The total row of a table (uncoded, labelled as :data:`budgetlib.vocab.labels.TABLE_TOTALS`).
TOTAL_ROW = "total"
#: The year total (本年收入合计) of a 收支总表 side; ``labels`` as the reports find it.
YEAR_TOTAL = "year_total"
#: The grand total (收入总计) of a 收支总表 side; ``labels`` as the reports find it.
GRAND_TOTAL = "grand_total"
#: The uncoded row labelled one of ``labels``.
LABELLED = "labelled"
#: The row with 序号 ``row_no``.
ROW_NO = "row_no"
#: The row of the 三公 table meaning ``role`` (budgetlib.vocab.tables.THREE_PUBLIC_ITEMS).
ROLE = "role"
#: An income line of 收支总表 whose label matches the regular expression ``pattern``.
LINE = "line"
#: The 上年结转 row of the 收支总表 income side.
CARRYOVER = "carryover"


@dataclass(frozen=True, slots=True)
class Place:
    """A cell a headline figure may be printed in: in ``table``, one of ``columns``
    (the first printed wins), on the row of kind ``row`` (with its argument)."""

    table: str
    columns: tuple[str, ...]
    row: str = TOTAL_ROW
    labels: tuple[str, ...] = ()
    row_no: int | None = None
    role: str | None = None
    pattern: str | None = None
    readers: frozenset[str] = BOTH


def _year_total(table: str, columns: tuple[str, ...], side: str, **kw) -> Place:
    return Place(table, columns, YEAR_TOTAL, labels=labels.year_totals(side), **kw)


def _grand_total(table: str, columns: tuple[str, ...], side: str, **kw) -> Place:
    return Place(table, columns, GRAND_TOTAL, labels=labels.side_totals(side), **kw)


_SUMMARY = "income_expense_summary"
_INCOME, _SPENT = ("income_amount",), ("expenditure_amount", "use_amount")
_ONLY_REPORTS, _ONLY_PROSE = frozenset({REPORTS}), frozenset({PROSE})

#: Income facts of the prose -> the income line of 收支总表 that states the same (label pattern).
INCOME_LINES = {
    "gpb_income": "一般公共预算",
    "gov_fund_income": "政府性基金",
    "soe_capital_income": "国有资本经营",
    "fiscal_special_income": "财政专户",
    "business_income": "^事业收入",
    "operating_income": "经营收入",
    # 其他收入, or Jiangsu's 其他资金 (the prose: 其他资金收入预算总计80万元).
    "other_income": "其他收入|^[一二三四五六七八九十]*、?其他资金",
}
#: 三公 facts of the prose -> the row of the 三公 table (meaning, as in budgetlib.vocab.tables).
THREE_PUBLIC_ROLES = {
    "three_public_total": "total",
    "three_public_abroad": "abroad",
    "three_public_vehicle": "vehicle",
    "three_public_vehicle_purchase": "vehicle_purchase",
    "three_public_vehicle_operation": "vehicle_operation",
    "three_public_reception": "reception",
}

#: figure -> where it may stand, tried in order.
HEADLINES: dict[str, tuple[Place, ...]] = {
    "total_income": (
        # 决算 收入决算表 has no 合计 column: its 本年收入合计 is the subtotal column.
        Place("income", ("total", "subtotal"), readers=_ONLY_PROSE),
        _year_total(_SUMMARY, _INCOME, "收入", readers=_ONLY_REPORTS),
        _grand_total(_SUMMARY, _INCOME, "收入"),
    ),
    "grand_total": (_grand_total(_SUMMARY, _INCOME, "收入", readers=_ONLY_PROSE),),
    "fiscal_total": (_grand_total("fiscal_summary", _INCOME, "收入", readers=_ONLY_PROSE),),
    "gpb_basic_expenditure": (
        Place("gpb_basic_expenditure", ("total",), readers=_ONLY_PROSE),
        Place("gpb_expenditure", ("basic",), readers=_ONLY_PROSE),
    ),
    "fiscal_basic_expenditure": (Place("fiscal_basic_expenditure", ("total",), readers=_ONLY_PROSE),),
    # 财政拨款支出: the 本年支出合计 of the 财政拨款收支总表 (its 合计 column, or Jiangsu's 支出用途).
    "fiscal_expenditure": (_year_total("fiscal_summary", ("total", "use_amount"), "支出", readers=_ONLY_PROSE),),
    # 政府采购预算 of the prose, where the 政府采购 table is printed among the tables (Jiangsu 公开12表).
    "procurement_total": (Place("procurement_budget", ("total",), readers=_ONLY_PROSE),),
    "total_expenditure": (
        Place("expenditure", ("total",), readers=_ONLY_PROSE),
        _year_total(_SUMMARY, _SPENT, "支出", readers=_ONLY_REPORTS),
        _grand_total(_SUMMARY, _SPENT, "支出", readers=_ONLY_REPORTS),
    ),
    "basic_expenditure": (
        Place("expenditure", ("basic",)),
        Place("expenditure_by_use", ("basic",), ROW_NO, row_no=1, readers=_ONLY_REPORTS),
    ),
    "project_expenditure": (
        Place("expenditure", ("project",)),
        Place("expenditure_by_use", ("project",), ROW_NO, row_no=1, readers=_ONLY_REPORTS),
    ),
    "personnel": (
        Place("gpb_basic_expenditure", ("personnel",)),
        Place("gpb_basic_expenditure", ("total",), LABELLED, labels=(labels.row_total("人员经费"),), readers=_ONLY_REPORTS),
    ),
    "public_use": (
        Place("gpb_basic_expenditure", ("public_use",)),
        Place("gpb_basic_expenditure", ("total",), LABELLED, labels=(labels.row_total("公用经费"),), readers=_ONLY_REPORTS),
    ),
    **{fact: (Place(_SUMMARY, _INCOME, LINE, pattern=p, readers=_ONLY_PROSE),) for fact, p in INCOME_LINES.items()},
    "carryover_income": (Place(_SUMMARY, _INCOME, CARRYOVER, readers=_ONLY_PROSE),),
    **{fact: (Place("three_public", ("total",), ROLE, role=r, readers=_ONLY_PROSE),) for fact, r in THREE_PUBLIC_ROLES.items()},
}
# The reports read the 三公 total as “三公”经费小计 (序号 2) before 合计 (序号 1): Jiangsu's 合计
# also holds 会议费 and 培训费. The prose is held to the row labelled 合计 (role ``total``).
HEADLINES["three_public_total"] = (
    Place("three_public", ("total", "gpb"), ROW_NO, row_no=2, readers=_ONLY_REPORTS),
    Place("three_public", ("total", "gpb"), ROW_NO, row_no=1, readers=_ONLY_REPORTS),
    *HEADLINES["three_public_total"],
)


def places(figure: str, reader: str) -> tuple[Place, ...]:
    """The places of ``figure`` one reader tries, in order."""
    return tuple(p for p in HEADLINES.get(figure, ()) if reader in p.readers)


def figures_of(reader: str) -> tuple[str, ...]:
    """The figures one reader looks up, in declaration order."""
    return tuple(f for f in HEADLINES if places(f, reader))
