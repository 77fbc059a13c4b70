"""The vocabulary of the prose facts (``narrative_facts.fact``), declared once.

A prose fact is keyed by what the figure is (``total_income``, ``basic_expenditure``,
``three_public_total`` …); the rules that recognise it in the prose live in
:mod:`budgetlib.extract.prose_facts`, the checks that hold it to the tables in
:mod:`budgetlib.checks.prose`. Declared here: each key's Chinese label (for
messages), the parts a whole adds up to, the items listed under a total
(项目支出 … 主要为 X 安排 1.44万元 → ``project_amount``), and the key forms of a
fact's change against last year, last year's level and a final account's 年初预算
(``<fact>_change``, ``<fact>_prior``, ``<fact>_budget``, except where the contract
names them: ``total_change``, ``three_public_prior_total`` …). Plain data, no I/O.
"""
from __future__ import annotations

#: Chinese names of the prose facts, for messages.
FACT_LABELS: dict[str, str] = {
    "total_income": "预算收入",
    "total_expenditure": "预算支出",
    "basic_expenditure": "基本支出",
    "gpb_basic_expenditure": "一般公共预算基本支出",
    "fiscal_basic_expenditure": "财政拨款基本支出",
    "project_expenditure": "项目支出",
    "reserve_expenditure": "单位预留机动经费",
    "personnel": "人员经费",
    "public_use": "公用经费",
    "grand_total": "收入支出总计",
    "fiscal_total": "财政拨款收入支出总计",
    "fiscal_income": "财政拨款收入",
    "fiscal_expenditure": "财政拨款支出",
    "gpb_income": "一般公共预算拨款收入",
    "gpb_expenditure": "一般公共预算财政拨款支出",
    "gov_fund_income": "政府性基金预算拨款收入",
    "gov_fund_expenditure": "政府性基金预算财政拨款支出",
    "soe_capital_income": "国有资本经营预算拨款收入",
    "soe_capital_expenditure": "国有资本经营预算财政拨款支出",
    "fiscal_special_income": "财政专户管理资金收入",
    "business_income": "事业收入",
    "operating_income": "事业单位经营收入",
    "other_income": "其他收入",
    "carryover_income": "上年结转",
    "function_subject": "功能科目",
    "basic_item": "基本支出项目",
    "project_amount": "项目",
    "operating_cost": "机关运行经费",
    "operating_cost_item": "机关运行经费",
    "three_public_total": "“三公”经费",
    "three_public_abroad": "因公出国（境）费",
    "three_public_vehicle": "公务用车购置及运维费",
    "three_public_vehicle_purchase": "公务用车购置费",
    "three_public_vehicle_operation": "公务用车运行维护费",
    "three_public_reception": "公务接待费",
    "three_public_prior_total": "上年“三公”经费",
    "three_public_change": "“三公”经费增减",
    "total_change": "预算收支增减",
    "total_prior": "上年预算收支",
    "basic_change": "基本支出增减",
    "basic_prior": "上年基本支出",
    "project_change": "项目支出增减",
    "project_prior": "上年项目支出",
    "meeting_expense": "会议费",
    "training_expense": "培训费",
    "procurement_total": "政府采购预算",
    "procurement_goods": "政府采购货物",
    "procurement_works": "政府采购工程",
    "procurement_services": "政府采购服务",
    "procurement_sme_reserved": "面向中小企业预留",
    "procurement_small_micro_reserved": "面向小微企业预留",
    "assets_prior_year_total": "上年末固定资产",
    "assets_purchase_total": "购置固定资产",
}

#: Facts whose label is written with the figure's ``subject`` (its printed name).
SUBJECT_LABELS: dict[str, str] = {
    "operating_cost": "{subject}",
    "operating_cost_item": "{subject}",
    "project_amount": "项目“{subject}”",
}

#: Whole -> the facts that add up to it, in the order a message lists them.
PARTS: dict[str, tuple[str, ...]] = {
    "basic_expenditure": ("personnel", "public_use"),
    "total_expenditure": ("basic_expenditure", "project_expenditure"),
    "three_public_total": ("three_public_abroad", "three_public_vehicle", "three_public_reception"),
    "three_public_vehicle": ("three_public_vehicle_purchase", "three_public_vehicle_operation"),
    "procurement_total": ("procurement_goods", "procurement_works", "procurement_services"),
}
#: Wholes whose parts are a whole's parts too: the prose often breaks the 一般公共预算 (or
#: 财政拨款) basic expenditure, not all of 基本支出, into 人员经费 and 公用经费. The parts add
#: up to the one of these the prose states last before them.
SAME_PARTS: dict[str, tuple[str, ...]] = {"basic_expenditure": ("gpb_basic_expenditure", "fiscal_basic_expenditure")}
#: What a 小计 / 合计 that follows a part adds up to.
PARENT: dict[str, str] = {part: whole for whole, parts in PARTS.items() for part in parts}
#: Parts a whole has only in some documents (Jiangsu's 单位预留机动经费): counted when the prose states them.
OPTIONAL_PARTS: dict[str, tuple[str, ...]] = {"total_expenditure": ("reserve_expenditure",)}
#: Wholes whose parts are also added up for last year's levels.
PRIOR_PARTS = ("three_public_total",)

#: Facts about an earlier year by their very name (上年末固定资产): years before the budget year.
YEARS_BACK: dict[str, int] = {"assets_prior_year_total": 1}

#: Total -> the fact of the unnamed items listed after it (项目支出 … 主要为 X 安排 1.44万元).
ITEMS_OF: dict[str, str] = {
    "basic_expenditure": "basic_item",
    "project_expenditure": "project_amount",
    "operating_cost": "operating_cost_item",
}

#: The totals of the budget year the contract names a change and a prior-year key for.
MAIN_TOTALS = ("total_income", "total_expenditure", "basic_expenditure", "project_expenditure", "three_public_total")
#: Change and prior-year keys where the contract names them; otherwise ``<fact>_change`` / ``<fact>_prior``.
CHANGE_KEYS: dict[str, str] = {
    "total_expenditure": "total_change",
    "total_income": "total_change",
    "basic_expenditure": "basic_change",
    "project_expenditure": "project_change",
    "three_public_total": "three_public_change",
}
PRIOR_KEYS: dict[str, str] = {
    "total_expenditure": "total_prior",
    "total_income": "total_prior",
    "basic_expenditure": "basic_prior",
    "project_expenditure": "project_prior",
    "three_public_total": "three_public_prior_total",
}
#: How a key form is labelled from its base fact's label, by suffix (the contract's own forms are labelled above).
_FORM_LABELS = (("_prior", "上年{}"), ("_change", "{}增减"), ("_budget", "{}年初预算"))


def change_key(fact: str) -> str:
    """The key of a fact's change against last year (``basic_change``, ``personnel_change``)."""
    return CHANGE_KEYS.get(fact, f"{fact}_change")


def prior_key(fact: str) -> str:
    """The key of a fact's level last year (``three_public_prior_total``, ``personnel_prior``)."""
    return PRIOR_KEYS.get(fact, f"{fact}_prior")


def budget_key(fact: str) -> str:
    """The 年初预算 of a figure a final account states (three_public_total_budget)."""
    return f"{fact}_budget"


def prose_parts() -> dict[str, tuple[str, ...]]:
    """Whole -> parts for the prose check: :data:`PARTS`, and their prior-year forms for :data:`PRIOR_PARTS`."""
    prior = {prior_key(w): tuple(prior_key(p) for p in PARTS[w]) for w in PRIOR_PARTS}
    return {**PARTS, **prior}


def fact_label(name: str, subject: str | None = None) -> str:
    """The Chinese name of a fact key for messages (上年因公出国（境）费, 项目“…”)."""
    if name not in FACT_LABELS:
        for suffix, template in _FORM_LABELS:
            base = name.removesuffix(suffix)
            if base != name:
                return template.format(FACT_LABELS.get(base, base))
    if subject and name in SUBJECT_LABELS:
        return SUBJECT_LABELS[name].format(subject=subject)
    return FACT_LABELS.get(name, name)


#: Table -> the prose fact that states its total: a table printed empty while the prose
#: gives a figure for it is a contradiction (``notes.prose_figure_for_empty_table``).
TABLE_FACTS: dict[str, str] = {
    "gov_fund_expenditure": "gov_fund_expenditure",
    "soe_capital_expenditure": "soe_capital_expenditure",
    "three_public": "three_public_total",
    "procurement_budget": "procurement_total",
    "operating_cost_expenditure": "operating_cost",
}
