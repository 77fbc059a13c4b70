"""Quality of the performance targets (绩效目标表): ``warning`` and ``info``, never ``error``.

A target an auditor can verify names a number (``≥95%``, ``≤2万元``); a project
should have at least one such target and a cost (成本) indicator; a target that
only says 效果明显, or repeats the indicator's own name (seed 004: 工会会员满意度 →
工会会员满意度), cannot be measured. Classified projects (涉密) are listed for the
record. Cost indicators stated as amounts (``≤2万元``) should not add up to more
than the money the project has.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal

from budgetlib.vocab.text import canon
from budgetlib.checks.cross import _total_cell
from budgetlib.checks.findings import ZERO, Finding, fmt
from budgetlib.checks.registry import DocContext, check

PROJECTS = "projects"
INDICATORS = "indicators"

#: Targets that say a direction without a yardstick.
VAGUE = re.compile(r"效果明显|明显|显著|有效|提升|提高|改善|良好|较好|较高|逐步|进一步|有所|加强|稳定|持续")
#: Units of a cost indicator that state a total amount (not a rate per person or per month).
AMOUNT_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}
_PER_UNIT = re.compile(r"人均|每人|标准|单价|/")


def _by_project(ctx: DocContext) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for ind in ctx.rows(INDICATORS):
        grouped[ind["project_no"]].append(ind)
    return grouped


def _open_projects(ctx: DocContext):
    indicators = _by_project(ctx)
    for project in sorted(ctx.rows(PROJECTS), key=lambda p: p["project_no"]):
        if not project.get("is_classified"):
            yield project, indicators.get(project["project_no"], [])


def _finding(ctx, check_id, severity, project, message, line=None) -> Finding:
    return Finding(
        doc_id=ctx.doc_id,
        check=check_id,
        severity=severity,
        message=message,
        table=PROJECTS,
        row_no=project["project_no"],
        source_line=line or project.get("source_line"),
    )


def _name(project: dict) -> str:
    return f"第{project['project_no']}个项目“{project['project_name']}”"


@check("targets.no_quantified", "document", "项目无量化指标", needs=(PROJECTS, INDICATORS))
def no_quantified(ctx: DocContext) -> Iterator[Finding]:
    """A project none of whose indicators has a numeric target (``warning``)."""
    for project, indicators in _open_projects(ctx):
        if indicators and all(i.get("target_value") is None for i in indicators):
            yield _finding(
                ctx, "targets.no_quantified", "warning", project,
                f"{_name(project)}的{len(indicators)}个绩效指标都没有可量化的指标值，无法据以考核，请补充数量、质量、时效或成本的量化目标",
            )


@check("targets.no_cost", "document", "项目无成本指标", needs=(PROJECTS, INDICATORS))
def no_cost(ctx: DocContext) -> Iterator[Finding]:
    """A project without a cost (成本) indicator (``warning``)."""
    for project, indicators in _open_projects(ctx):
        if indicators and not any("成本" in (i.get("level2") or "") for i in indicators):
            yield _finding(
                ctx, "targets.no_cost", "warning", project,
                f"{_name(project)}没有设置成本指标，无法考核资金使用的经济性，请补充成本指标",
            )


def unmeasurable_reason(ind: dict) -> str | None:
    """Why a target cannot be measured, or None."""
    if ind.get("target_value") is not None:
        return None
    target = canon(ind.get("target_text") or "")
    if not target or target == "涉密":
        return None
    names = {canon(ind.get("level3") or ""), canon(ind.get("description") or "")} - {""}
    if target in names:
        return "指标值照抄指标名称"
    if VAGUE.search(target):
        return "指标值只有方向没有标准"
    return None


@check("targets.unmeasurable", "document", "指标值无法衡量", needs=(PROJECTS, INDICATORS))
def unmeasurable(ctx: DocContext) -> Iterator[Finding]:
    """Targets that cannot be measured: 效果明显 / 有效提高 … without a number, or the indicator's
    own name repeated as its target. One ``warning`` per project, listing them."""
    for project, indicators in _open_projects(ctx):
        bad = [(i, r) for i in indicators if (r := unmeasurable_reason(i))]
        if not bad:
            continue
        shown = "；".join(f"“{i.get('level3')}”→“{i.get('target_text')}”（{r}）" for i, r in bad[:3])
        more = f"等{len(bad)}项" if len(bad) > 3 else ""
        yield _finding(
            ctx, "targets.unmeasurable", "warning", project,
            f"{_name(project)}有{len(bad)}个指标值无法衡量：{shown}{more}，请改为可量化、可核验的指标值",
            bad[0][0].get("source_line"),
        )


@check("targets.classified", "document", "涉密项目", needs=(PROJECTS,))
def classified(ctx: DocContext) -> Iterator[Finding]:
    """Classified (涉密) projects, whose targets are not published (``info``)."""
    for project in sorted(ctx.rows(PROJECTS), key=lambda p: p["project_no"]):
        if project.get("is_classified"):
            yield _finding(
                ctx, "targets.classified", "info", project,
                f"{_name(project)}为涉密项目，绩效目标未公开，需按保密规定另行核查",
            )


def cost_amounts(indicators: list[dict]) -> list[tuple[dict, Decimal]]:
    """Cost indicators that state a total amount, in 万元."""
    found = []
    for ind in indicators:
        unit = ind.get("target_unit")
        text = (ind.get("level3") or "") + (ind.get("description") or "")
        if "成本" not in (ind.get("level2") or "") or unit not in AMOUNT_UNITS or ind.get("target_value") is None:
            continue
        if ind.get("target_op") == ">=" or _PER_UNIT.search(text):
            continue
        found.append((ind, ind["target_value"] * AMOUNT_UNITS[unit]))
    return found


@check("targets.cost_exceeds_budget", "document", "成本指标超过项目资金", needs=(PROJECTS, INDICATORS))
def cost_exceeds_budget(ctx: DocContext) -> Iterator[Finding]:
    """Cost indicators stated as amounts (≤2万元) add up to more than the money of the project
    (its 预算数, or its amount in the prose), or, over all projects, to more than 支出总表
    项目支出 (``warning``): the target allows spending the budget does not have."""
    amounts = {}
    for fact in ctx.rows("narrative_facts"):
        if fact["fact"] == "project_amount" and fact.get("subject") and not fact.get("is_derived"):
            amounts[canon(fact["subject"])] = fact["value"]
    overall = ZERO
    for project, indicators in _open_projects(ctx):
        costs = cost_amounts(indicators)
        if not costs:
            continue
        cost = sum((v for _i, v in costs), ZERO)
        overall += cost
        budget = project.get("budget")
        if budget is None:
            budget = amounts.get(canon(project["project_name"]))
        if budget is not None and cost > budget:
            yield _finding(
                ctx, "targets.cost_exceeds_budget", "warning", project,
                f"{_name(project)}的成本指标合计{fmt(cost)}万元，超过项目预算{fmt(budget)}万元，请核对指标值或预算数",
                costs[0][0].get("source_line"),
            )
    target = _total_cell(ctx.view, "expenditure", "project")
    total = ctx.view.value(target) if target else None
    if total is not None and overall > total:
        yield Finding(
            doc_id=ctx.doc_id,
            check="targets.cost_exceeds_budget",
            severity="warning",
            message=f"各项目成本指标合计{fmt(overall)}万元，超过支出总表项目支出{fmt(total)}万元，请核对成本指标",
            table=target.table,
            row_no=target.row_no,
            col_no=target.col_no,
            expected=total,
            actual=overall,
            difference=overall - total,
            source_line=ctx.view.line(target),
        )
