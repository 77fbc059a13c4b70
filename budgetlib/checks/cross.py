"""Cross-table reconciliation: the same money printed in two tables agrees.

收入总表 合计 = 支出总表 合计 = 收支总表 本年收入合计 (收入总计 with 上年结转); each
function-class line of a 收支总表 equals that class in the function table it
summarises, matched by name (``一、一般公共服务支出`` ↔ ``201 一般公共服务支出``);
一般公共预算支出表 基本支出 = 基本支出表 合计; the fund columns of 财政拨款收支总表
equal the three 财政拨款支出表; the income lines of 收支总表 equal the source
columns of 收入总表 and the income lines of 财政拨款收支总表.
"""
from __future__ import annotations

import re
from collections.abc import Iterator

from budgetlib.vocab.text import canon
from budgetlib.checks.footing import parents, total_row
from budgetlib.checks.views import DocView, Ref
from budgetlib.vocab.labels import plain_name
from budgetlib.checks.identity import FULL, Identity
from budgetlib.checks.registry import DocContext, check
from budgetlib.checks.summary import FUND_WORDS, printed_side

#: Fund column of 财政拨款收支总表 -> the function table of that fund.
FUND_TABLES = {"gpb": "gpb_expenditure", "gov_fund": "gov_fund_expenditure", "soe_capital": "soe_capital_expenditure"}

#: Income line of 收支总表 (label pattern) -> source column of 收入总表.
INCOME_SOURCES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"一般公共预算|政府性基金|国有资本经营|财政拨款"), "fiscal_appropriation"),
    (re.compile(r"财政专户"), "fiscal_special_account"),
    (re.compile(r"事业收入"), "business_income"),
    (re.compile(r"经营收入"), "operating_income"),
    (re.compile(r"上级补助"), "superior_subsidy"),
    (re.compile(r"附属单位上缴"), "affiliate_remittance"),
    (re.compile(r"其他收入"), "other_income"),
]


def _total_cell(view: DocView, table: str, key: str) -> Ref | None:
    row = total_row(view.table_rows(table))
    col = view.col(table, key)
    if row is None or col is None:
        return None
    return Ref(table, row, col)


def _pair(check_id: str, left: Ref | None, right: Ref | None) -> Iterator[Identity]:
    if left is not None and right is not None:
        yield Identity(check_id, left, (right,), total_style=FULL, addend_style=FULL)


@check("cross.income_vs_expenditure", "identities", "收入总表合计=支出总表合计")
def income_vs_expenditure(ctx: DocContext) -> Iterator[Identity]:
    """收入总表 合计 equals 支出总表 合计 (a budget spends what it receives)."""
    view = ctx.view
    yield from _pair(
        "cross.income_vs_expenditure", _total_cell(view, "income", "total"), _total_cell(view, "expenditure", "total")
    )


@check("cross.summary_vs_income", "identities", "收支总表收入=收入总表合计")
def summary_vs_income(ctx: DocContext) -> Iterator[Identity]:
    """收支总表 本年收入合计 = 收入总表 合计行 小计; 收入总计 = 收入总表 合计."""
    view = ctx.view
    table = "income_expense_summary"
    income = printed_side(view, table, "income")
    if income is None:
        return
    col = income.cols[0]
    if income.year_total is not None:
        yield from _pair(
            "cross.summary_vs_income", Ref(table, income.year_total, col), _total_cell(view, "income", "subtotal")
        )
    if income.grand_total is not None:
        yield from _pair(
            "cross.summary_vs_income", Ref(table, income.grand_total, col), _total_cell(view, "income", "total")
        )


@check("cross.summary_vs_expenditure", "identities", "收支总表本年支出合计=支出总表合计")
def summary_vs_expenditure(ctx: DocContext) -> Iterator[Identity]:
    """收支总表 本年支出合计 equals 支出总表 合计."""
    view = ctx.view
    table = "income_expense_summary"
    side = printed_side(view, table, "expenditure")
    if side is not None and side.lines_total is not None:
        yield from _pair(
            "cross.summary_vs_expenditure",
            Ref(table, side.lines_total, side.cols[0]),
            _total_cell(view, "expenditure", "total"),
        )


def _key(name: str) -> str:
    return plain_name(name).removesuffix("支出")


def _classes(view: DocView, table: str, check_id: str, lines: list[Ref], target: str, key: str) -> Iterator[Identity]:
    """Each printed line of a summary equals the class row of ``target`` with the same name."""
    rows = view.table_rows(target)
    col = view.col(target, key)
    classes = {}
    for row_no, parent in sorted(parents(rows, view.cache).items()):
        if parent is None:
            classes.setdefault(_key(rows[row_no].label()), row_no)
    matched = set()
    target_name = _spec_name(target)
    for ref in lines:
        name = view.label(table, ref.row_no, ref.col_no)
        row = classes.get(_key(name))
        if row is None:
            yield Identity(
                check_id, ref, (), total_style=FULL, note=f"{target_name}中没有名为“{plain_name(name)}”的类级科目"
            )
            continue
        matched.add(row)
        yield Identity(check_id, ref, (Ref(target, row, col),), total_style=FULL, addend_style=FULL)
    for name, row in classes.items():
        if row not in matched:
            yield Identity(
                check_id,
                Ref(target, row, col),
                (),
                total_style=FULL,
                note=f"{_spec_name(table)}中没有填列“{rows[row].label()}”",
            )


def _spec_name(table: str) -> str:
    from budgetlib.vocab.tables import TABLES_BY_KEY

    return TABLES_BY_KEY[table].name


@check("cross.summary_class", "identities", "收支总表各功能分类=支出总表各类")
def summary_class(ctx: DocContext) -> Iterator[Identity]:
    """Each function-class line of 收支总表 equals the 类 row of 支出总表 of the same name
    (the ordinal ``一、`` dropped); a class printed on one side only is reported too."""
    view = ctx.view
    table = "income_expense_summary"
    side = printed_side(view, table, "expenditure")
    if side is None or not view.table_rows("expenditure"):
        return
    lines = [Ref(table, r, side.cols[0]) for r in side.lines]
    yield from _classes(view, table, "cross.summary_class", lines, "expenditure", "total")


@check("cross.fiscal_vs_fund_tables", "identities", "财政拨款收支总表=各财政拨款支出表")
def fiscal_vs_fund_tables(ctx: DocContext) -> Iterator[Identity]:
    """财政拨款收支总表: the 本年支出合计 of each fund column equals the 合计 of that fund's
    支出表 (一般公共预算 / 政府性基金 / 国有资本经营), and each function line of the fund
    column equals the class of the same name there."""
    view = ctx.view
    table = "fiscal_summary"
    side = printed_side(view, table, "expenditure")
    if side is None:
        return
    for key, target in FUND_TABLES.items():
        col = view.col(table, key)
        if col is None:
            continue
        if side.lines_total is not None:
            yield from _pair(
                "cross.fiscal_vs_fund_tables", Ref(table, side.lines_total, col), _total_cell(view, target, "total")
            )
        lines = [Ref(table, r, col) for r in side.lines if Ref(table, r, col) in view.cells]
        if lines or view.table_rows(target):
            yield from _classes(view, table, "cross.fiscal_vs_fund_tables", lines, target, "total")


@check("cross.gpb_basic", "identities", "一般公共预算支出表基本支出=基本支出表合计")
def gpb_basic(ctx: DocContext) -> Iterator[Identity]:
    """一般公共预算财政拨款支出表 合计行 基本支出 equals 基本支出表 合计."""
    view = ctx.view
    yield from _pair(
        "cross.gpb_basic", _total_cell(view, "gpb_expenditure", "basic"), _total_cell(view, "gpb_basic_expenditure", "total")
    )


@check("cross.summary_income_sources", "identities", "收支总表各收入项=收入总表各来源")
def summary_income_sources(ctx: DocContext) -> Iterator[Identity]:
    """The income lines of 收支总表 equal the source columns of 收入总表's 合计 row
    (一般公共预算 + 政府性基金 + 国有资本经营 拨款 = 财政拨款收入; 事业收入 = 事业收入 …;
    上年结转结余 = 上年结转), and the fund income lines of 财政拨款收支总表 equal those of 收支总表."""
    view = ctx.view
    table = "income_expense_summary"
    income = printed_side(view, table, "income")
    if income is None:
        return
    col = income.cols[0]
    labels = {r: canon(view.label(table, r, col)) for r in income.lines}
    if view.table_rows("income"):
        for pattern, key in INCOME_SOURCES:
            target = _total_cell(view, "income", key)
            lines = [r for r, text in labels.items() if pattern.search(text)]
            if target is not None:
                labels = {r: t for r, t in labels.items() if r not in lines}
                yield Identity(
                    "cross.summary_income_sources",
                    target,
                    tuple(Ref(table, r, col) for r in lines),
                    total_style=FULL,
                    addend_style=FULL,
                )
        carry = _total_cell(view, "income", "carryover")
        if carry is not None and income.carryover:
            yield Identity(
                "cross.summary_income_sources",
                carry,
                tuple(Ref(table, r, col) for r in income.carryover),
                total_style=FULL,
                addend_style=FULL,
            )
    fiscal = printed_side(view, "fiscal_summary", "income")
    if fiscal is None:
        return
    fcol = fiscal.cols[0]
    ours_all = income.lines + [r for parts in income.parts.values() for r in parts]
    theirs_all = fiscal.lines + [r for parts in fiscal.parts.values() for r in parts]
    for word in FUND_WORDS.values():
        ours = [r for r in ours_all if word in canon(view.label(table, r, col))]
        theirs = [r for r in theirs_all if word in canon(view.label("fiscal_summary", r, fcol))]
        if len(ours) == 1 and len(theirs) == 1:
            yield from _pair(
                "cross.summary_income_sources", Ref("fiscal_summary", theirs[0], fcol), Ref(table, ours[0], col)
            )
