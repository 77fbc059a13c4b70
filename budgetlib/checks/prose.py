"""The prose against the tables: every figure the 情况说明 restates, at its own rounding.

Each prose figure is a cell of the pseudo-table ``narrative_facts`` (see
:mod:`budgetlib.checks.other_figures`) whose printing step is its stated precision, so
"552万元" against a table 552.18 holds (|0.18| ≤ 0.5 + 0.005) and "9.0" against
9.04 holds at precision 0.1. Derived figures (prior-year values the parser
computed from a stated change) restate nothing and are not compared.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from budgetlib.vocab.text import canon
from budgetlib.checks.cross import _total_cell
from budgetlib.checks.other_figures import ASSET_VALUE_COL, ASSETS, PROCUREMENT, PROCUREMENT_COL, PROSE, prose_facts
from budgetlib.checks.findings import CENT, ZERO, Finding, fmt, severity_of, tail, tolerance_of
from budgetlib.checks.views import Ref
from budgetlib.vocab.labels import plain_name
from budgetlib.checks.identity import FULL, TABLE, Identity
from budgetlib.checks.registry import DocContext, check
from budgetlib.checks.summary import sides
from budgetlib.checks.three_public import LAYOUT_ROW, roles
from budgetlib.vocab.headlines import CARRYOVER, GRAND_TOTAL, LINE, ROLE, TOTAL_ROW, YEAR_TOTAL, Place, places
from budgetlib.vocab.headlines import PROSE as PROSE_READER
from budgetlib.vocab.facts import OPTIONAL_PARTS, SAME_PARTS, YEARS_BACK, prose_parts

#: Prose wholes and the prose facts that are parts of them (for :func:`parts`).
PROSE_PARTS = prose_parts()


def _printed(ctx: DocContext, table: str) -> bool:
    return table in ctx.view.rows or any(r["table"] == table for r in ctx.rows("document_tables"))


def _summary_income(ctx: DocContext, place: Place) -> Ref | None:
    view, table = ctx.view, place.table
    if not _printed(ctx, table):
        return None
    income = sides(view, table).get("income")
    if income is None:
        return None
    col = income.cols[0]
    if place.row == CARRYOVER:
        rows = income.carryover
    else:
        lines = income.lines + [r for parts in income.parts.values() for r in parts]
        rows = [r for r in lines if re.search(place.pattern, canon(view.label(table, r, col)))]
    return Ref(table, rows[0] if rows else None, col)


def _grand_total(ctx: DocContext, place: Place) -> Ref | None:
    side = sides(ctx.view, place.table).get("income") if _printed(ctx, place.table) else None
    if side is None or side.grand_total is None:
        return None
    return Ref(place.table, side.grand_total, side.cols[0])


def _year_total(ctx: DocContext, place: Place) -> Ref | None:
    """The year total (本年支出合计 …) of the 收支总表 side that prints the place's first column
    it has (Jiangsu prints its 财政拨款 expenditure on the 支出用途 side only)."""
    if not _printed(ctx, place.table):
        return None
    for key in place.columns:
        col = ctx.view.col(place.table, key)
        side = next((s for s in sides(ctx.view, place.table).values() if col in s.cols), None)
        if side is not None and side.year_total is not None and col in ctx.view.printed_cols(place.table):
            return Ref(place.table, side.year_total, col)
    return None


def _three_public(ctx: DocContext, place: Place) -> Ref | None:
    if not _printed(ctx, place.table):
        return None
    view = ctx.view
    where = roles(view) if place.table in view.rows else LAYOUT_ROW
    return Ref(place.table, where.get(place.role), view.col(place.table, place.columns[0]))


def _total_row_cell(ctx: DocContext, place: Place) -> Ref | None:
    return next((r for c in place.columns if (r := _total_cell(ctx.view, place.table, c)) is not None), None)


#: How the prose check finds each kind of row a headline place names.
_ROW_FINDERS = {
    TOTAL_ROW: _total_row_cell,
    GRAND_TOTAL: _grand_total,
    YEAR_TOTAL: _year_total,
    LINE: _summary_income,
    CARRYOVER: _summary_income,
    ROLE: _three_public,
}


def table_figure(ctx: DocContext, fact: str) -> Ref | None:
    """The table cell a prose fact restates (None when the document prints no such table)."""
    if fact == "procurement_total" and ctx.rows(PROCUREMENT):
        return Ref(PROCUREMENT, _procurement_total_row(ctx), PROCUREMENT_COL["total"])
    if fact == "assets_prior_year_total":
        row = next((r["row_no"] for r in ctx.rows(ASSETS) if r.get("is_total")), None)
        return Ref(ASSETS, row, ASSET_VALUE_COL) if ctx.rows(ASSETS) else None
    return next((r for p in places(fact, PROSE_READER) if (r := _ROW_FINDERS[p.row](ctx, p)) is not None), None)


def _procurement_total_row(ctx: DocContext) -> int | None:
    return next((r["row_no"] for r in ctx.rows(PROCUREMENT) if r.get("row_kind") == "total"), None)


def _comparable(ctx: DocContext, target: Ref) -> bool:
    """A table figure the prose can be held to: its column prints in the document (a column a
    layout never fills, or a table that was not read, is not a zero)."""
    if target.table == PROCUREMENT:
        return bool(ctx.rows(PROCUREMENT))
    if target.table in (PROSE, ASSETS):
        return True
    printed = ctx.view.columns.get(target.table)
    if printed is None:
        # The table is printed empty: its figures are zero.
        return _printed(ctx, target.table)
    return target.col_no in printed.values()


def _current(ctx: DocContext, fact: dict) -> bool:
    year = ctx.meta.get("fiscal_year")
    return not fact.get("is_derived") and (fact.get("year") in (None, year) or fact["fact"] in YEARS_BACK)


@check("prose.vs_table", "identities", "情况说明与表格数字一致", needs=(PROSE,))
def vs_table(ctx: DocContext) -> Iterator[Identity]:
    """Every figure the prose restates equals the table figure, at the prose's own precision:
    收入/支出/基本/项目/人员经费/公用经费 totals, each income source, the 三公 amounts,
    the 政府采购预算 total and 上年末固定资产. A wrong table figure breaks this and the table's
    own identities, and is then located in the table; a wrong prose figure breaks only this,
    and the finding points at the prose line (and at the table figure it restates)."""
    for ref, fact in prose_facts(ctx):
        if not _current(ctx, fact) or fact.get("subject"):
            continue
        target = table_figure(ctx, fact["fact"])
        if target is None or not _comparable(ctx, target):
            continue
        yield Identity("prose.vs_table", ref, (target,), total_style=FULL, addend_style=FULL)


def _stated(ctx: DocContext) -> dict[tuple[str, int | None], list[tuple[Ref, dict]]]:
    by_fact = defaultdict(list)
    for ref, f in prose_facts(ctx):
        if not f.get("is_derived") and not f.get("subject"):
            by_fact[(f["fact"], f.get("year"))].append((ref, f))
    return by_fact


@check("prose.parts", "identities", "情况说明总数=所列分项之和", needs=(PROSE,))
def parts(ctx: DocContext) -> Iterator[Identity]:
    """Where the prose states a whole and every one of its parts, the parts add up to it:
    基本支出 = 人员经费 + 公用经费, 支出 = 基本 + 项目, 三公 = 出国 + 公务用车 + 接待 (this year
    and last), 公务用车 = 购置 + 运行维护. (With a part missing, see ``prose.items``.)"""
    stated = _stated(ctx)
    for (fact, year) in list(stated):
        names = PROSE_PARTS.get(fact)
        if not names or not all((n, year) in stated for n in names):
            continue
        names += tuple(n for n in OPTIONAL_PARTS.get(fact, ()) if (n, year) in stated)
        addends = tuple(stated[(n, year)][0][0] for n in names)
        yield Identity("prose.parts", _whole_before(ctx, stated, fact, year, addends), addends,
                       total_style=FULL, addend_style=FULL & ~TABLE)


def _whole_before(ctx: DocContext, stated: dict, fact: str, year: int | None, parts: tuple[Ref, ...]) -> Ref:
    """The whole the parts add up to: the last one stated before them among ``fact`` and the
    wholes with the same parts (:data:`budgetlib.vocab.facts.SAME_PARTS`), else the first."""
    wholes = [ref for f in (fact, *SAME_PARTS.get(fact, ())) for ref, _ in stated.get((f, year), [])]
    first_part = min(ctx.view.line(p) or 0 for p in parts)
    before = [ref for ref in wholes if (ctx.view.line(ref) or 0) <= first_part]
    return max(before, key=lambda ref: ctx.view.line(ref) or 0) if before else stated[(fact, year)][0][0]


@check("prose.items", "document", "情况说明所列分项不超过总数", needs=(PROSE,))
def items(ctx: DocContext) -> Iterator[Finding]:
    """Lists that may be partial (主要用于…, 其中…) add up to no more than their whole: the
    items of 机关运行经费, an item's own sub-items, and the parts of a whole of
    ``prose.parts`` when one part is not stated. Reported (``error``) only when the
    parts exceed the whole beyond the rounding of all the figures."""
    facts = [(ref, f) for ref, f in prose_facts(ctx) if not f.get("is_derived")]
    stated = _stated(ctx)
    groups = []
    for (fact, year), wholes in stated.items():
        names = PROSE_PARTS.get(fact)
        if names and not all((n, year) in stated for n in names):
            names += OPTIONAL_PARTS.get(fact, ())
            groups.append((wholes[0], [stated[(n, year)][0] for n in names if (n, year) in stated]))
    listed = [(r, f) for r, f in facts if f["fact"] == "operating_cost_item"]
    for whole in (p for p in facts if p[1]["fact"] == "operating_cost"):
        groups.append((whole, [p for p in listed if not p[1].get("part_of")]))
    for item in listed:
        subs = [p for p in listed if p[1].get("part_of") and canon(p[1]["part_of"]) == canon(item[1].get("subject") or "")]
        if subs:
            groups.append((item, subs))
    view = ctx.view
    for (whole_ref, whole), members in groups:
        if not members:
            continue
        total = sum((f["value"] for _r, f in members), ZERO)
        tol = tolerance_of([*(view.cells[r].step for r, _f in members), view.cells[whole_ref].step])
        excess = total - whole["value"]
        if excess <= tol:
            continue
        listing = "+".join(f"{view.layout_labels.get((PROSE, r.row_no), '')}{fmt(f['value'], view.cells[r].step)}" for r, f in members)
        yield Finding(
            doc_id=ctx.doc_id,
            check="prose.items",
            severity="error",
            message=(
                f"情况说明{view.place(whole.get('source_line'))}“{view.layout_labels.get((PROSE, whole_ref.row_no), '')}”"
                f"{fmt(whole['value'], view.cells[whole_ref].step)}小于所列分项{listing}={fmt(total)}，相差{fmt(excess)}，{tail('error', tol)}"
            ),
            table=PROSE,
            expected=total,
            actual=whole["value"],
            difference=-excess,
            tolerance=tol,
            source_line=whole.get("source_line"),
        )


@check("prose.operating_cost", "document", "机关运行经费与公用经费", needs=(PROSE,))
def operating_cost(ctx: DocContext) -> Iterator[Finding]:
    """机关运行经费 (prose) against 基本支出表 公用经费 合计.

    机关运行经费 is the 公用经费 of the administrative units (and those managed
    like them), so it cannot exceed the department's 公用经费: above it beyond
    rounding is an ``error``. Below it is normal when the department has public
    institutions (事业单位) whose 公用经费 is not 机关运行经费: ``info``, naming the gap.
    """
    view = ctx.view
    target = _total_cell(view, "gpb_basic_expenditure", "public_use")
    if target is None:
        return
    table_value = view.value(target)
    for ref, fact in prose_facts(ctx):
        if fact["fact"] != "operating_cost" or not _current(ctx, fact):
            continue
        printed = [view.cells[ref].step] + ([view.cells[target].step] if table_value is not None else [])
        tol = tolerance_of(printed)
        gap = fact["value"] - (table_value or ZERO)
        head = f"情况说明{ctx.view.place(fact.get('source_line'))}机关运行经费{fmt(fact['value'])}"
        table_text = f"基本支出表公用经费合计{fmt(table_value)}"
        if severity_of(gap, tol) != "error":
            continue
        if gap > 0:
            severity = "error"
            message = f"{head}大于{table_text}，相差{fmt(gap)}：机关运行经费是公用经费的一部分，不应更大，请核对"
        else:
            units = [u["unit_name"] for u in ctx.rows("units") if u.get("unit_type") and "事业" in u["unit_type"]]
            why = f"（部门含事业单位{'、'.join(units[:3])}，其公用经费不属机关运行经费）" if units else "，请确认差额是否为所属事业单位的公用经费"
            severity = "info"
            message = f"{head}低于{table_text}{fmt(-gap)}{why}"
        yield Finding(
            doc_id=ctx.doc_id,
            check="prose.operating_cost",
            severity=severity,
            message=message,
            table=target.table,
            row_no=target.row_no,
            col_no=target.col_no,
            expected=table_value,
            actual=fact["value"],
            difference=gap,
            tolerance=tol,
            source_line=fact.get("source_line"),
        )


def _name_key(name: str | None) -> str:
    return re.sub(r"项目$|资金$|经费$", "", plain_name(name))


@check("prose.project_amounts", "document", "情况说明所列项目金额与项目支出", needs=(PROSE,))
def project_amounts(ctx: DocContext) -> Iterator[Finding]:
    """Per-project amounts in the prose ("劳动模范荣誉津贴安排1.44万元") against 支出总表
    项目支出 合计: their sum above 项目支出 beyond rounding is an ``error``; below it,
    ``info`` (the prose names only some projects). Each amount is also compared with the
    project's 预算数 in its 绩效目标表 where the names match (``error`` beyond rounding)."""
    view = ctx.view
    amounts = [(r, f) for r, f in prose_facts(ctx) if f["fact"] == "project_amount" and _current(ctx, f)]
    if not amounts:
        return
    line = amounts[0][1].get("source_line")
    steps = [view.cells[r].step for r, _f in amounts]
    target = _total_cell(view, "expenditure", "project")
    if target is not None and view.value(target) is not None:
        total = sum((f["value"] for _r, f in amounts), ZERO)
        table_value = view.value(target)
        tol = tolerance_of([*steps, view.cells[target].step])
        gap = total - table_value
        names = "、".join(f"{f['subject']}{fmt(f['value'])}" for _r, f in amounts)
        if severity_of(gap, tol) == "error":
            severity = "error" if gap > 0 else "info"
            relation = "超过" if gap > 0 else "少于"
            tail = "，请核对" if gap > 0 else "，其余项目未在说明中列出金额"
            yield Finding(
                doc_id=ctx.doc_id,
                check="prose.project_amounts",
                severity=severity,
                message=f"情况说明{ctx.view.place(line)}所列项目金额（{names}）合计{fmt(total)}{relation}支出总表项目支出{fmt(table_value)}{fmt(abs(gap))}{tail}",
                table=target.table,
                row_no=target.row_no,
                col_no=target.col_no,
                expected=table_value,
                actual=total,
                difference=gap,
                tolerance=tol,
                source_line=line,
            )
    budgets = {_name_key(p["project_name"]): p for p in ctx.rows("projects") if p.get("budget") is not None}
    for ref, fact in amounts:
        project = budgets.get(_name_key(fact.get("subject")))
        if project is None:
            continue
        tol = tolerance_of([view.cells[ref].step, CENT])
        gap = fact["value"] - project["budget"]
        if severity_of(gap, tol) == "error":
            yield Finding(
                doc_id=ctx.doc_id,
                check="prose.project_amounts",
                severity="error",
                message=(
                    f"情况说明{ctx.view.place(fact.get('source_line'))}项目“{fact['subject']}”{fmt(fact['value'])}与其绩效目标表"
                    f"预算数{fmt(project['budget'])}相差{fmt(abs(gap))}，请核对"
                ),
                expected=project["budget"],
                actual=fact["value"],
                difference=gap,
                tolerance=tol,
                source_line=fact.get("source_line"),
            )
