"""The two 收支总表 (收支总表 and 财政拨款收支总表): lines, totals and balance.

Rows are recognised by their printed labels (本年收入合计, 上年结转结余, 收入总计 …),
never by fixed 序号, so a layout with more or fewer lines needs no change:
the income (expenditure) lines are the rows above 本年收入合计 (本年支出合计)
that print a figure on that side.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from budgetlib.vocab.labels import GRAND_TOTALS, PLAIN_TOTALS, YEAR_TOTALS
from budgetlib.vocab.text import canon
from budgetlib.checks.views import DocView, Ref
from budgetlib.checks.identity import CELL, FULL, ITEM, ROW, Identity
from budgetlib.checks.registry import DocContext, check

SUMMARY_TABLES = ("income_expense_summary", "fiscal_summary")

#: Rows of a side below its year total that carry last year over (the total rows: budgetlib.vocab.labels).
_CARRYOVER = re.compile(r"结转|结余")
#: A line numbered "1." / "（1）" under a line numbered "一、" is a part of that line.
_SUB_LINE = re.compile(r"^[(（]?\d{1,2}[)）.．、]")

#: Fund columns of 财政拨款收支总表 and the words naming the fund in an income line.
FUND_WORDS = {"gpb": "一般公共预算", "gov_fund": "政府性基金", "soe_capital": "国有资本经营"}

#: Sides of a summary table by the key of their (first) amount column; a side is the amount
#: columns one label column names (财政拨款收支总表's expenditure side has four fund columns).
SIDE_COLUMNS = {
    "income": ("income_amount",),
    "expenditure": ("expenditure_amount", "total", "gpb", "gov_fund", "soe_capital"),
    "use": ("use_amount",),  # Jiangsu: expenditure by use (基本支出, 项目支出 …) beside the function lines
}


@dataclass(slots=True)
class Side:
    """One side of a 收支总表 as printed: its lines, totals and carry-over rows."""

    cols: list[int]
    #: Top-level lines above the year total ("一、…").
    lines: list[int] = field(default_factory=list)
    #: Sub-lines ("1. …") under each top-level line.
    parts: dict[int, list[int]] = field(default_factory=dict)
    year_total: int | None = None
    grand_total: int | None = None
    #: Rows between the year total and the grand total (结转结余 and its parts).
    carryover: list[int] = field(default_factory=list)
    #: Of those, the row labelled as the 结转 heading, if printed.
    carryover_head: int | None = None

    @property
    def lines_total(self) -> int | None:
        """The row the lines add up to: the year total, else (no year total printed) the grand total."""
        return self.year_total if self.year_total is not None else self.grand_total


def sides(view: DocView, table: str) -> dict[str, Side]:
    """The sides of one summary table (computed once per document)."""
    key = ("summary.sides", table)
    if key not in view.cache:
        view.cache[key] = _sides(view, table)
    return view.cache[key]


def printed_side(view: DocView, table: str, name: str) -> Side | None:
    """Side ``name`` of a summary table the document prints numbers in (else None)."""
    return sides(view, table).get(name) if view.table_rows(table) else None


def _sides(view: DocView, table: str) -> dict[str, Side]:
    printed_keys = view.columns.get(table, {})
    result = {}
    for name, keys in SIDE_COLUMNS.items():
        cols = [c for c in (view.col(table, k) for k in keys if k in printed_keys or name != "use") if c]
        if name == "expenditure" and table == "income_expense_summary":
            cols = cols[:1]
        if cols:
            result[name] = _side(view, table, sorted(set(cols), key=cols.index))
    return result


def _side(view: DocView, table: str, cols: list[int]) -> Side:
    side = Side(cols)
    rows = view.table_rows(table)
    printed = sorted(r for r in rows if any(Ref(table, r, c) in view.cells for c in cols))
    labels = {r: canon(view.label(table, r, cols[0])) for r in printed}
    plain = []
    for r in printed:
        if side.year_total is None and labels[r] in YEAR_TOTALS:
            side.year_total = r
        elif side.grand_total is None and labels[r] in GRAND_TOTALS:
            side.grand_total = r
        elif labels[r] in PLAIN_TOTALS:
            plain.append(r)
    for r in plain:
        if side.year_total is None and (side.grand_total is None or r < side.grand_total):
            side.year_total = r
        elif side.grand_total is None:
            side.grand_total = r
    top = side.lines_total
    specials = {side.year_total, side.grand_total, *plain}
    parent = None
    for r in printed:
        if r in specials:
            continue
        if top is None or r < top:
            if _SUB_LINE.search(labels[r]) and parent is not None:
                side.parts.setdefault(parent, []).append(r)
            else:
                side.lines.append(r)
                parent = r
        elif side.year_total is not None and r > side.year_total and (side.grand_total is None or r < side.grand_total):
            side.carryover.append(r)
            if side.carryover_head is None and _CARRYOVER.search(labels[r]):
                side.carryover_head = r
    return side


@check("summary.income_lines", "identities", "本年收入合计=各收入项之和")
def income_lines(ctx: DocContext) -> Iterator[Identity]:
    """本年收入合计 (收入总计 where no year total is printed) equals the sum of the top-level
    income lines above it; a line numbered "一、" equals the sum of its "1." sub-lines."""
    yield from _lines(ctx.view, ("income",), "summary.income_lines")


@check("summary.expenditure_lines", "identities", "本年支出合计=各支出功能分类之和")
def expenditure_lines(ctx: DocContext) -> Iterator[Identity]:
    """本年支出合计 equals the sum of the function-class lines above it (each fund column of
    财政拨款收支总表 too)."""
    yield from _lines(ctx.view, ("expenditure", "use"), "summary.expenditure_lines")


def _lines(view: DocView, side_names: tuple[str, ...], check_id: str) -> Iterator[Identity]:
    for table in SUMMARY_TABLES:
        if not view.table_rows(table):
            continue
        for name, side in sides(view, table).items():
            if name not in side_names:
                continue
            for col in side.cols:
                if side.lines and side.lines_total is not None:
                    yield Identity(
                        check_id,
                        Ref(table, side.lines_total, col),
                        tuple(Ref(table, r, col) for r in side.lines),
                        total_style=FULL,
                        addend_style=ITEM,
                    )
                for line, parts in side.parts.items():
                    yield Identity(
                        check_id, Ref(table, line, col), tuple(Ref(table, r, col) for r in parts),
                        total_style=FULL, addend_style=ITEM,
                    )


@check("summary.balance", "identities", "收入总计=支出总计，总计=本年合计+结转结余")
def balance(ctx: DocContext) -> Iterator[Identity]:
    """收入总计 = 本年收入合计 + 上年结转结余 = 支出总计 = 本年支出合计 + 年终结转结余.

    Where the 结转 heading and its parts by fund are both printed (财政拨款收支总表
    年初财政拨款结转和结余 and 一、一般公共预算拨款 …), the heading equals its parts and
    the 总计 uses the heading.
    """
    view = ctx.view
    for table in SUMMARY_TABLES:
        if not view.table_rows(table):
            continue
        both = sides(view, table)
        for side in both.values():
            if side.grand_total is None or side.year_total is None:
                continue
            head = side.carryover_head
            parts = [r for r in side.carryover if r != head]
            for col in side.cols:
                if head is not None and parts:
                    yield Identity(
                        "summary.balance",
                        Ref(table, head, col),
                        tuple(Ref(table, r, col) for r in parts),
                        total_style=FULL,
                        addend_style=ITEM,
                    )
                rest = [head] if head is not None else parts
                yield Identity(
                    "summary.balance",
                    Ref(table, side.grand_total, col),
                    tuple(Ref(table, r, col) for r in [side.year_total, *rest]),
                    total_style=FULL,
                    addend_style=ITEM,
                )
        income = both.get("income")
        spent = next((both[n] for n in ("expenditure", "use") if n in both and both[n].grand_total is not None), None)
        if income is not None and income.grand_total is not None and spent is not None:
            yield Identity(
                "summary.balance",
                Ref(table, income.grand_total, income.cols[0]),
                (Ref(table, spent.grand_total, spent.cols[0]),),
                total_style=FULL,
                addend_style=ROW | ITEM,
            )


@check("summary.fund_balance", "identities", "各资金来源收入+结转=该资金支出总计")
def fund_balance(ctx: DocContext) -> Iterator[Identity]:
    """财政拨款收支总表, per fund: the income line of the fund (一、一般公共预算拨款) plus its
    year-start carryover line equals the 支出总计 of that fund's column."""
    view = ctx.view
    table = "fiscal_summary"
    income, expenditure = printed_side(view, table, "income"), printed_side(view, table, "expenditure")
    if income is None or expenditure is None or expenditure.grand_total is None:
        return
    col = income.cols[0]
    for key, word in FUND_WORDS.items():
        fund_col = view.col(table, key)
        lines = [r for r in income.lines if word in canon(view.label(table, r, col))]
        carry = [r for r in income.carryover if word in canon(view.label(table, r, col))]
        if fund_col is None or not lines:
            continue
        yield Identity(
            "summary.fund_balance",
            Ref(table, expenditure.grand_total, fund_col),
            tuple(Ref(table, r, col) for r in lines + carry),
            total_style=CELL,
            addend_style=ROW | ITEM,
        )
