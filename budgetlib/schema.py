"""The nine standard tables, declared once as data.

Every stage reads these declarations: the table recogniser (titles, 栏次 and
header text), the tidy ``line_items`` rows (canonical column keys), the wide
views of :mod:`budgetlib.load`, the checks and the Excel writer (Chinese labels).
A new province's naming scheme or a 决算 variant is a new entry here, not new code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import canon


@dataclass(frozen=True, slots=True)
class Column:
    """One 栏次 of a standard table."""

    no: int
    key: str
    label: str
    kind: str  # "code", "label" or "amount"
    aliases: tuple[str, ...] = ()
    #: For an amount: the 栏次 whose text names the row (default: the table's name column).
    item_from: int | None = None

    def matches(self, header_text: str) -> bool:
        return any(canon(a) in header_text for a in (self.label, *self.aliases))


@dataclass(frozen=True, slots=True)
class TableSpec:
    key: str
    name: str
    titles: tuple[str, ...]
    layouts: tuple[tuple[Column, ...], ...]
    #: The kind of subject code in column 1: "function", "economic" or None.
    subject: str | None = None

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns of the first (national) layout."""
        return self.layouts[0]

    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.kind == "amount"]


def _function_columns(amounts: list[tuple[str, str, tuple[str, ...]]]) -> tuple[Column, ...]:
    head = (
        Column(1, "code", "科目编码", "code", ("编码",)),
        Column(2, "name", "科目名称", "label", ("名称",)),
    )
    return head + tuple(
        Column(no, key, label, "amount", aliases) for no, (key, label, aliases) in enumerate(amounts, start=3)
    )


_BASIC_PROJECT = [("total", "合计", ()), ("basic", "基本支出", ()), ("project", "项目支出", ())]

STANDARD_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "income_expense_summary",
        "收支总表",
        ("收支总表", "财务收支预算总表", "收支预算总表"),
        (
            (
                Column(1, "income_item", "收入项目", "label", ("项目", "收入")),
                Column(2, "income_amount", "收入预算数", "amount", ("预算数", "金额"), item_from=1),
                Column(3, "expenditure_item", "支出项目", "label", ("项目", "支出")),
                Column(4, "expenditure_amount", "支出预算数", "amount", ("预算数", "金额"), item_from=3),
            ),
        ),
    ),
    TableSpec(
        "income",
        "收入总表",
        ("收入总表", "收入预算总表"),
        (
            _function_columns(
                [
                    ("total", "合计", ()),
                    ("subtotal", "小计", ()),
                    ("fiscal_appropriation", "财政拨款收入", ("财政拨款",)),
                    ("fiscal_special_account", "财政专户收入", ("财政专户",)),
                    ("business_income", "事业收入", ()),
                    ("operating_income", "经营收入", ()),
                    ("superior_subsidy", "上级补助收入", ("上级补助",)),
                    ("affiliate_remittance", "附属单位上缴收入", ("附属单位上缴",)),
                    ("other_income", "其他收入", ()),
                    ("carryover", "上年结转", ("结转",)),
                ]
            ),
        ),
        subject="function",
    ),
    TableSpec(
        "expenditure",
        "支出总表",
        ("支出总表", "支出预算总表"),
        (
            _function_columns(
                _BASIC_PROJECT
                + [
                    ("operating", "经营支出", ()),
                    ("remit_to_superior", "上解上级支出", ("上缴上级支出", "上解上级")),
                    ("subsidy_to_affiliates", "对附属单位补助支出", ("对附属单位补助",)),
                ]
            ),
        ),
        subject="function",
    ),
    TableSpec(
        "fiscal_summary",
        "财政拨款收支总表",
        ("财政拨款收支总表", "财政拨款收支预算总表"),
        (
            (
                Column(1, "income_item", "收入项目", "label", ("项目", "收入")),
                Column(2, "income_amount", "收入金额", "amount", ("金额", "预算数"), item_from=1),
                Column(3, "expenditure_item", "支出项目", "label", ("项目", "支出")),
                Column(4, "total", "合计", "amount", (), item_from=3),
                Column(5, "gpb", "一般公共预算财政拨款", "amount", ("一般公共预算",), item_from=3),
                Column(6, "gov_fund", "政府性基金预算财政拨款", "amount", ("政府性基金",), item_from=3),
                Column(7, "soe_capital", "国有资本经营预算财政拨款", "amount", ("国有资本经营",), item_from=3),
            ),
        ),
    ),
    TableSpec(
        "gpb_expenditure",
        "一般公共预算财政拨款支出表",
        ("一般公共预算财政拨款支出表", "一般公共预算支出表", "一般公共预算支出功能分类预算表"),
        (_function_columns(_BASIC_PROJECT),),
        subject="function",
    ),
    TableSpec(
        "gpb_basic_expenditure",
        "一般公共预算财政拨款基本支出表",
        ("一般公共预算财政拨款基本支出表", "一般公共预算基本支出表"),
        (
            _function_columns(
                [("total", "合计", ()), ("personnel", "人员经费", ("人员支出",)), ("public_use", "公用经费", ("公用支出",))]
            ),
        ),
        subject="economic",
    ),
    TableSpec(
        "gov_fund_expenditure",
        "政府性基金预算财政拨款支出表",
        ("政府基金预算财政拨款支出表", "政府性基金预算财政拨款支出表", "政府性基金预算支出表"),
        (_function_columns(_BASIC_PROJECT),),
        subject="function",
    ),
    TableSpec(
        "soe_capital_expenditure",
        "国有资本经营预算财政拨款支出表",
        ("国有资本经营预算财政拨款支出表", "国有资本经营预算支出表"),
        (_function_columns(_BASIC_PROJECT),),
        subject="function",
    ),
    TableSpec(
        "three_public",
        "财政拨款“三公”经费支出表",
        ('财政拨款"三公"经费支出表', '"三公"经费支出表', '财政拨款"三公"经费预算表'),
        (
            (
                Column(1, "item", "项目", "label"),
                Column(2, "total", "合计", "amount", (), item_from=1),
                Column(3, "gpb", "一般公共预算财政拨款", "amount", ("一般公共预算",), item_from=1),
                Column(4, "gov_fund", "政府性基金预算拨款", "amount", ("政府性基金",), item_from=1),
                Column(5, "soe_capital", "国有资本经营预算财政拨款", "amount", ("国有资本经营",), item_from=1),
            ),
        ),
    ),
)

TABLES_BY_KEY: dict[str, TableSpec] = {t.key: t for t in STANDARD_TABLES}

_TITLE_PREFIX = re.compile(r"^(\d{4}年度?)?(部门\(单位\)|部门|单位)?(预算|决算)?")


def title_key(text: str) -> str:
    """A printed title reduced to what distinguishes the table (prefixes dropped)."""
    return _TITLE_PREFIX.sub("", canon(text), count=1)


TITLE_INDEX: dict[str, TableSpec] = {title_key(t): spec for spec in STANDARD_TABLES for t in spec.titles}


def spec_for_title(text: str) -> TableSpec | None:
    return TITLE_INDEX.get(title_key(text))


#: Rows of the 三公 table by meaning: key -> (Chinese label, parent key).
#: Matched on the printed item with ordinals (一、) and 其中： removed.
THREE_PUBLIC_ITEMS: dict[str, tuple[str, str | None]] = {
    "total": ("合计", None),
    "subtotal": ("“三公”经费小计", None),
    "abroad": ("因公出国（境）费", "subtotal"),
    "abroad_research": ("教学科研人员因公出国（境）费", "abroad"),
    "abroad_other": ("其他因公出国（境）费", "abroad"),
    "vehicle": ("公务用车购置及运维费", "subtotal"),
    "vehicle_purchase": ("公务用车购置费", "vehicle"),
    "vehicle_operation": ("公务用车运行维护费", "vehicle"),
    "reception": ("公务接待费", "subtotal"),
}

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.]|^\(?[0-9]+\)?[、.]|^其中[:：]")
_THREE_PUBLIC_INDEX = {canon(label).replace('"', ""): key for key, (label, _) in THREE_PUBLIC_ITEMS.items()}
_THREE_PUBLIC_INDEX.update({"小计": "subtotal", "三公经费合计": "total"})


def three_public_key(item: str | None) -> str | None:
    """The meaning of a printed 三公 row label, or None if it is not one of the declared rows."""
    if not item:
        return None
    text = canon(item).replace('"', "")
    while (stripped := _ORDINAL.sub("", text)) != text:
        text = stripped
    return _THREE_PUBLIC_INDEX.get(text)
