"""What a printed column header says: the vocabulary of column concepts, declared once.

A standard table is printed in many layouts: the national one with 栏次, Shanghai's,
Jiangsu's, the 决算 format, unit-level (单位预算) variants that split a column in two,
and blank templates. The layouts :mod:`budgetlib.vocab.tables` declares are what is
*typical* for each naming scheme; a table that fits none of them is still read when
each of its printed columns can be told by its header text alone. This module says
which words name which concept (合计, 基本支出, 人员经费, 一般公共预算 …), so that
mapping is data, not code: :func:`budgetlib.extract.headers.vocabulary_layout` maps each
printed column, in any order and any subset, to the column a table declares for the
concept (keeping its 栏次 and key), or, for a concept the table does not declare, to a
column numbered after the declared ones.

Aliases are compared after :func:`budgetlib.vocab.text.canon`; ``"A…B"`` matches a
header that has A, then later B. When several concepts match one header, the one named
lowest in the header (the most specific word, printed in the last header row) wins:
``本年支出预算数/基本支出/人员经费`` is 人员经费.
"""
from __future__ import annotations

from dataclasses import dataclass

from budgetlib.vocab.labels import GRAND, SUBTOTAL, TOTAL
from budgetlib.vocab.tables import Column, TableSpec


@dataclass(frozen=True, slots=True)
class Concept:
    """One column concept: its key in ``line_items.column``, its Chinese label, its kind and aliases."""

    key: str
    label: str
    kind: str  # "code", "label" or "amount"
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.label, *self.aliases)


#: The concepts, in a fixed order (a concept a table does not declare is numbered by it).
CONCEPTS: tuple[Concept, ...] = (
    # Row labels.
    Concept("code", "科目编码", "code", ("编码", "代码")),
    Concept("name", "科目名称", "label", ("名称",)),
    Concept("income_item", "收入项目", "label", ("收入…项目",)),
    Concept("expenditure_item", "支出项目", "label", ("支出…项目",)),
    Concept("use_item", "支出用途项目", "label", ("用途…项目",)),
    Concept("item", "项目", "label"),
    # Totals and the two sides of a 收支总表.
    Concept("total", "合计", "amount", ("总计", "金额", "预算数", "决算数")),
    Concept("subtotal", "小计", "amount", ("本年收入合计",)),
    Concept("income_amount", "收入预算数", "amount", ("收入…预算数", "收入…决算数", "收入…金额")),
    Concept("expenditure_amount", "支出预算数", "amount", ("支出…预算数", "支出…决算数", "支出…金额")),
    # Expenditure by use.
    Concept("basic", "基本支出", "amount"),
    Concept("personnel", "人员经费", "amount", ("人员支出",)),
    Concept("public_use", "公用经费", "amount", ("公用支出",)),
    Concept("project", "项目支出", "amount"),
    Concept("reserve", "单位预留机动经费", "amount", ("预留机动经费", "预留")),
    Concept("operating", "经营支出", "amount"),
    Concept("remit_to_superior", "上缴上级支出", "amount", ("上解上级支出", "上解上级")),
    Concept("subsidy_to_affiliates", "对附属单位补助支出", "amount", ("对附属单位补助",)),
    Concept("carryover_next", "结转下年", "amount", ("年末结转",)),
    # Funds.
    Concept("fiscal_appropriation", "财政拨款收入", "amount", ("财政拨款",)),
    Concept("gpb", "一般公共预算", "amount"),
    Concept("gov_fund", "政府性基金", "amount", ("政府基金",)),
    Concept("soe_capital", "国有资本经营", "amount"),
    Concept("fiscal_special_account", "财政专户", "amount"),
    # Income by source.
    Concept("business_income", "事业收入", "amount"),
    Concept("operating_income", "经营收入", "amount"),
    Concept("superior_subsidy", "上级补助收入", "amount", ("上级补助",)),
    Concept("affiliate_remittance", "附属单位上缴收入", "amount", ("附属单位上缴",)),
    Concept("other_income", "其他收入", "amount"),
    Concept("carryover", "上年结转", "amount", ("年初结转",)),
    # 预算 against 决算.
    Concept("budget", "年初预算数", "amount", ("年初预算",)),
)

CONCEPTS_BY_KEY: dict[str, Concept] = {c.key: c for c in CONCEPTS}

#: Words that only say "the whole of the column above" (本年支出 / 合计): a header ending in
#: one of them names the column above it when that column is a concept of its own.
TOTAL_WORDS = (TOTAL, SUBTOTAL, GRAND)


def declared_columns(spec: TableSpec) -> dict[str, Column]:
    """The columns a table declares, by key (the first layout declaring a key gives its 栏次);
    transposed and two-panel layouts left out (their columns are not one concept each)."""
    declared: dict[str, Column] = {}
    for layout in spec.layouts:
        if layout.transposed or layout.panels > 1:
            continue
        for col in layout.columns:
            declared.setdefault(col.key, col)
    return declared


def concept_column(spec: TableSpec, key: str) -> Column | None:
    """The column of concept ``key`` in table ``spec``: the declared one, else the concept's own,
    numbered after the declared columns by its place in :data:`CONCEPTS` (the same 栏次 in
    every document)."""
    declared = declared_columns(spec)
    if key in declared:
        return declared[key]
    concept = CONCEPTS_BY_KEY.get(key)
    if concept is None or not declared:
        return None
    base = max(c.no for c in declared.values())
    return Column(base + 1 + CONCEPTS.index(concept), concept.key, concept.label, concept.kind, concept.aliases)
