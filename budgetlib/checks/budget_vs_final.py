"""A final account against its 年初预算: information for the auditor, never an error.

``budget_vs_final.three_public_over_budget``
    a 三公 item whose 决算数 is above the 预算数 the 决算 三公 table prints beside it;
``budget_vs_final.deviation``
    a figure the prose states with its 年初预算 (``年初预算为1560.05万元，支出决算为
    1511.89万元``) that is further from it than the threshold the user sets
    (``--execution-threshold``, default 10%).
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal

from budgetlib import config
from budgetlib.checks.findings import ZERO, Finding, fmt
from budgetlib.checks.other_figures import PROSE, fact_label, table_name
from budgetlib.checks.registry import DocContext, check
from budgetlib.checks.three_public import TABLE as THREE_PUBLIC
from budgetlib.checks.views import Ref
from budgetlib.vocab.facts import budget_key

_PERCENT = Decimal("0.01")


def _is_final(ctx: DocContext) -> bool:
    return ctx.meta.get("doc_kind") == "final_accounts"


@check("budget_vs_final.three_public_over_budget", "document", "“三公”决算超预算")
def three_public_over_budget(ctx: DocContext) -> Iterator[Finding]:
    """A 三公 item spent above its budget (决算数 > 预算数 in the 决算 三公 table)."""
    view = ctx.view
    budget_col, final_col = view.col(THREE_PUBLIC, "budget"), view.col(THREE_PUBLIC, "total")
    if not _is_final(ctx) or budget_col is None or final_col is None:
        return
    for row_no in sorted(view.table_rows(THREE_PUBLIC)):
        budget = view.value(Ref(THREE_PUBLIC, row_no, budget_col))
        final = view.value(Ref(THREE_PUBLIC, row_no, final_col))
        if budget is not None and final is not None and final > budget:
            yield Finding(
                doc_id=ctx.doc_id, check="budget_vs_final.three_public_over_budget", severity="info",
                message=f"{table_name(THREE_PUBLIC)}第{row_no}行“{view.label(THREE_PUBLIC, row_no)}”决算数{fmt(final)}高于预算数"
                        f"{fmt(budget)}，超出{fmt(final - budget)}，请了解超预算原因",
                table=THREE_PUBLIC, row_no=row_no, col_no=final_col, expected=budget, actual=final,
                difference=final - budget, source_line=view.line(Ref(THREE_PUBLIC, row_no, final_col)),
            )


@check("budget_vs_final.deviation", "document", "决算偏离年初预算", needs=(PROSE,))
def deviation(ctx: DocContext) -> Iterator[Finding]:
    """A figure whose 决算 is further from its 年初预算 than the threshold (a share of the budget)."""
    if not _is_final(ctx):
        return
    threshold = config.execution_threshold()
    facts = [f for f in ctx.rows(PROSE) if not f.get("is_derived") and f.get("value") is not None]
    finals = {(f["fact"], f.get("subject"), f.get("year")): f for f in facts}
    for budget in sorted(facts, key=lambda f: f.get("source_line") or 0):
        if not budget["fact"].endswith("_budget"):
            continue
        name = budget["fact"].removesuffix("_budget")
        final = finals.get((name, budget.get("subject"), budget.get("year")))
        if final is None or budget_key(name) != budget["fact"] or budget["value"] == ZERO:
            continue
        share = ((final["value"] - budget["value"]) / budget["value"]).quantize(Decimal("0.0001"), ROUND_HALF_UP)
        if abs(share) > threshold:
            direction = "高于" if share > 0 else "低于"
            yield Finding(
                doc_id=final["doc_id"], check="budget_vs_final.deviation", severity="info",
                message=f"情况说明{ctx.view.place(final.get('source_line'))}{fact_label(final)}决算数{fmt(final['value'])}"
                        f"{direction}年初预算{fmt(budget['value'])}，相差{fmt(abs(share) * 100, _PERCENT)}%"
                        f"（超过{fmt(threshold * 100, _PERCENT)}%），请了解原因",
                table=PROSE, expected=budget["value"], actual=final["value"],
                difference=final["value"] - budget["value"], source_line=final.get("source_line"),
            )
