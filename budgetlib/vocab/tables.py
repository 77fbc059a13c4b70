"""The nine standard tables, declared once as data.

Every stage reads these declarations: the table recogniser (titles, 栏次 and
header text), the tidy ``line_items`` rows (canonical column keys), the wide
views of :mod:`budgetlib.store.load`, the checks and the Excel writer (Chinese labels).
A new province's naming scheme or a 决算 variant is a new entry here, not new code.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budgetlib.vocab.text import canon


@dataclass(frozen=True, slots=True)
class Column:
    """One 栏次 of a standard table.

    ``no`` is the column's 栏次: as printed in layouts with a 栏次 row, and in
    layouts without one the 栏次 the same column has in the national layout, so
    ``col_no`` means the same in every province; a column the national layout
    lacks is numbered after the national ones.
    """

    no: int
    key: str
    label: str
    kind: str  # "code", "label" or "amount"
    #: Other header texts naming the column. ``"A…B"`` matches a header that has A, then later B.
    aliases: tuple[str, ...] = ()
    #: For an amount: the 栏次 whose text names the row (default: the table's name column);
    #: a tuple joins the texts of several label columns with "/" (blank ones left out).
    item_from: int | tuple[int, ...] | None = None
    #: Tables printed transposed (the 三公 table as one row, items as columns): the 序号 of
    #: the national row this column's figure belongs to; its ``label`` is that row's item.
    row: int | None = None

    def matches(self, header_text: str) -> bool:
        # A transposed column's label is its row's item; its header is given by the aliases.
        names = self.aliases if self.row is not None and self.aliases else (self.label, *self.aliases)
        return any(_header_has(header_text, a) for a in names)


def _header_has(header_text: str, alias: str) -> bool:
    at = 0
    for part in (canon(p) for p in alias.split("…")):
        found = header_text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


@dataclass(frozen=True, slots=True)
class Layout:
    """One way a table is printed: the columns in printed order, and how to find them.

    ``scheme`` names the naming scheme (a province's, or the national 决算 format)
    the layout belongs to: every table a document prints is matched to a layout,
    and ``document_tables.layout`` records its scheme.
    """

    scheme: str
    columns: tuple[Column, ...]
    #: True: the table prints a 栏次 row numbering the columns, and a 序号 per row.
    #: False: columns are mapped by their header text in printed order (a code printed over
    #: 类/款/项 columns counts as one), and ``row_no`` is the printed order of the data rows.
    lanci: bool = False
    #: Side-by-side copies of the columns (the 决算 基本支出表 prints 人员经费 | 公用经费 panels);
    #: rows are read panel by panel, so ``row_no`` runs down the left panel, then the right.
    panels: int = 1
    #: The unit the scheme prints this table in, when it differs from the scheme's (SCHEME_UNITS).
    unit: str | None = None

    @property
    def expected_unit(self) -> str:
        """The unit this layout is printed in: used when a table prints no 单位 line, and
        a table printed in this unit is as its scheme intends (Shanghai: 元, its 三公 in 万元)."""
        return self.unit or SCHEME_UNITS.get(self.scheme, "万元")

    @property
    def transposed(self) -> bool:
        return any(c.row is not None for c in self.columns)

    @property
    def keys(self) -> frozenset[str]:
        """The column keys this layout prints."""
        return frozenset(c.key for c in self.columns)


@dataclass(frozen=True, slots=True)
class TableSpec:
    key: str
    name: str
    titles: tuple[str, ...]
    layouts: tuple[Layout, ...]
    #: The kind of subject code in column 1: "function", "economic" or None.
    subject: str | None = None

    @property
    def columns(self) -> tuple[Column, ...]:
        """The columns of the first (national) layout."""
        return self.layouts[0].columns

    def amount_columns(self) -> list[Column]:
        return [c for c in self.columns if c.kind == "amount"]

    def layout(self, scheme: str | None) -> Layout | None:
        """The layout of a naming scheme (``document_tables.layout``), None if the table has none."""
        return next((lay for lay in self.layouts if lay.scheme == scheme), None)

    def column(self, no: int) -> Column | None:
        """The column with 栏次 ``no`` in any layout (the national one first)."""
        for lay in self.layouts:
            for col in lay.columns:
                if col.no == no and col.row is None:
                    return col
        for lay in self.layouts:
            for col in lay.columns:
                if col.no == no:
                    return fund_column(col)
        return None


#: Labels of the value columns of transposed tables (a transposed column's own label is its row's).
FUND_LABELS = {"total": "合计", "gpb": "一般公共预算财政拨款", "budget": "预算数"}


def fund_column(col: Column) -> Column:
    """The long-form column a transposed column's figure goes to: its 栏次 and key, named by the fund."""
    return Column(col.no, col.key, FUND_LABELS.get(col.key, col.key), "amount", item_from=1)


def _function_columns(amounts: list[tuple[str, str, tuple[str, ...]]]) -> tuple[Column, ...]:
    head = (
        Column(1, "code", "科目编码", "code", ("编码",)),
        Column(2, "name", "科目名称", "label", ("名称",)),
    )
    return head + tuple(
        Column(no, key, label, "amount", aliases) for no, (key, label, aliases) in enumerate(amounts, start=3)
    )


def _hebei(*columns: Column) -> Layout:
    """The national budget layout of the samples (Hebei): 序号 and 栏次 printed."""
    return Layout("hebei", columns, lanci=True)


#: Code and name columns of layouts without 栏次 (the code often printed over 类/款/项).
_CODE = Column(1, "code", "科目编码", "code", ("编码", "代码"))
_NAME = Column(2, "name", "科目名称", "label", ("名称",))


def _coded(scheme: str, *amounts: tuple[int, str, str, tuple[str, ...]], panels: int = 1) -> Layout:
    """A layout of code, name and amount columns ``(栏次, key, label, aliases)`` in printed order."""
    return Layout(scheme, (_CODE, _NAME) + tuple(Column(no, k, lab, "amount", al) for no, k, lab, al in amounts), panels=panels)


_TOTAL_BASIC_PROJECT = ((3, "total", "合计", ("小计",)), (4, "basic", "基本支出", ()), (5, "project", "项目支出", ()))
#: 三公 rows of the national layout by 序号 (see THREE_PUBLIC_ITEMS), for transposed layouts.
_TP = {"total": 1, "subtotal": 2, "abroad": 3, "vehicle": 6, "vehicle_purchase": 7, "vehicle_operation": 8, "reception": 9}


def _tp(key: str, label: str, header: tuple[str, ...], row: int, no: int = 2) -> Column:
    """One column of a transposed 三公 table: the figure of row ``row`` in fund column ``key``."""
    return Column(no, key, label, "amount", header, item_from=None, row=row)


_BASIC_PROJECT = [("total", "合计", ()), ("basic", "基本支出", ()), ("project", "项目支出", ())]


def _two_sided(scheme: str, amount: str) -> Layout:
    """收支总表 without 栏次: 收入 项目 | ``amount`` | 支出 项目 | ``amount``."""
    return Layout(
        scheme,
        (
            Column(1, "income_item", "收入项目", "label", ("收入…项目",)),
            Column(2, "income_amount", "收入" + amount, "amount", ("收入…" + amount,), item_from=1),
            Column(3, "expenditure_item", "支出项目", "label", ("支出…项目",)),
            Column(4, "expenditure_amount", "支出" + amount, "amount", ("支出…" + amount,), item_from=3),
        ),
    )


def _fiscal_summary(scheme: str, amount: str) -> Layout:
    """财政拨款收支总表 without 栏次, in the national column order."""
    return Layout(
        scheme,
        (
            Column(1, "income_item", "收入项目", "label", ("收入…项目",)),
            Column(2, "income_amount", "收入金额", "amount", ("收入…" + amount,), item_from=1),
            Column(3, "expenditure_item", "支出项目", "label", ("支出…项目",)),
            Column(4, "total", "合计", "amount", ("支出…合计",), item_from=3),
            Column(5, "gpb", "一般公共预算财政拨款", "amount", ("一般公共预算",), item_from=3),
            Column(6, "gov_fund", "政府性基金预算财政拨款", "amount", ("政府性基金",), item_from=3),
            Column(7, "soe_capital", "国有资本经营预算财政拨款", "amount", ("国有资本经营",), item_from=3),
        ),
    )


def _fund_final(scheme: str) -> Layout:
    """政府性基金 / 国有资本经营预算财政拨款收入支出决算表: 结转, 收入, 支出 (小计 = 基本 + 项目), 结转."""
    return _coded(
        scheme,
        (6, "carryover_start", "年初结转和结余", ("年初结转",)),
        (7, "income", "本年收入", ()),
        (3, "total", "本年支出小计", ("本年支出…小计",)),
        (4, "basic", "基本支出", ()),
        (5, "project", "项目支出", ()),
        (8, "carryover_end", "年末结转和结余", ("年末结转",)),
    )


STANDARD_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "income_expense_summary",
        "收支总表",
        ("收支总表", "财务收支预算总表", "收支预算总表", "收入支出决算总表"),
        (
            _hebei(
                Column(1, "income_item", "收入项目", "label", ("项目", "收入")),
                Column(2, "income_amount", "收入预算数", "amount", ("预算数", "金额"), item_from=1),
                Column(3, "expenditure_item", "支出项目", "label", ("项目", "支出")),
                Column(4, "expenditure_amount", "支出预算数", "amount", ("预算数", "金额"), item_from=3),
            ),
            _two_sided("shanghai_budget", "预算数"),
            _two_sided("shanghai_final", "决算数"),
            # 公开01表: income | expenditure by function class | expenditure by use (基本/项目/预留).
            Layout(
                "jiangsu_budget",
                (
                    Column(1, "income_item", "收入项目", "label", ("收入…项目",)),
                    Column(2, "income_amount", "收入金额", "amount", ("收入…金额",), item_from=1),
                    Column(3, "expenditure_item", "支出功能科目名称", "label", ("功能…名称",)),
                    Column(4, "expenditure_amount", "支出功能分类金额", "amount", ("功能…金额",), item_from=3),
                    Column(5, "use_item", "支出用途项目名称", "label", ("用途…项目",)),
                    Column(6, "use_amount", "支出用途金额", "amount", ("用途…金额",), item_from=5),
                ),
            ),
        ),
    ),
    TableSpec(
        "income",
        "收入总表",
        ("收入总表", "收入预算总表", "收入决算表"),
        (
            _hebei(
                *_function_columns(
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
                )
            ),
            _coded(
                "shanghai_budget",
                (3, "total", "合计", ()),
                (5, "fiscal_appropriation", "财政拨款收入", ()),
                (7, "business_income", "事业收入", ()),
                (8, "operating_income", "事业单位经营收入", ("经营收入",)),
                (11, "other_income", "其他收入", ()),
            ),
            # 决算: 本年收入合计 is this year's income (the national 小计); no 上年结转 column.
            _coded(
                "shanghai_final",
                (4, "subtotal", "本年收入合计", ()),
                (5, "fiscal_appropriation", "财政拨款收入", ()),
                (9, "superior_subsidy", "上级补助收入", ()),
                (7, "business_income", "事业收入", ()),
                (8, "operating_income", "经营收入", ()),
                (10, "affiliate_remittance", "附属单位上缴收入", ()),
                (11, "other_income", "其他收入", ()),
            ),
        ),
        subject="function",
    ),
    TableSpec(
        "expenditure",
        "支出总表",
        ("支出总表", "支出预算总表", "支出决算表"),
        (
            _hebei(
                *_function_columns(
                    _BASIC_PROJECT
                    + [
                        ("operating", "经营支出", ()),
                        ("remit_to_superior", "上解上级支出", ("上缴上级支出", "上解上级")),
                        ("subsidy_to_affiliates", "对附属单位补助支出", ("对附属单位补助",)),
                    ]
                )
            ),
            _coded("shanghai_budget", *_TOTAL_BASIC_PROJECT),
            _coded(
                "shanghai_final",
                (3, "total", "本年支出合计", ()),
                (4, "basic", "基本支出", ()),
                (5, "project", "项目支出", ()),
                (7, "remit_to_superior", "上缴上级支出", ("上解上级支出",)),
                (6, "operating", "经营支出", ()),
                (8, "subsidy_to_affiliates", "对附属单位补助支出", ("对附属单位补助",)),
            ),
        ),
        subject="function",
    ),
    TableSpec(
        "fiscal_summary",
        "财政拨款收支总表",
        ("财政拨款收支总表", "财政拨款收支预算总表", "财政拨款收入支出决算总表"),
        (
            _hebei(
                Column(1, "income_item", "收入项目", "label", ("项目", "收入")),
                Column(2, "income_amount", "收入金额", "amount", ("金额", "预算数"), item_from=1),
                Column(3, "expenditure_item", "支出项目", "label", ("项目", "支出")),
                Column(4, "total", "合计", "amount", (), item_from=3),
                Column(5, "gpb", "一般公共预算财政拨款", "amount", ("一般公共预算",), item_from=3),
                Column(6, "gov_fund", "政府性基金预算财政拨款", "amount", ("政府性基金",), item_from=3),
                Column(7, "soe_capital", "国有资本经营预算财政拨款", "amount", ("国有资本经营",), item_from=3),
            ),
            _fiscal_summary("shanghai_budget", "预算数"),
            _fiscal_summary("shanghai_final", "决算数"),
            # 公开04表: the expenditure side by use (基本支出, 项目支出, 单位预留机动经费), not by function.
            Layout(
                "jiangsu_budget",
                (
                    Column(1, "income_item", "收入项目", "label", ("收入…项目",)),
                    Column(2, "income_amount", "收入金额", "amount", ("收入…金额",), item_from=1),
                    Column(8, "use_item", "支出用途项目名称", "label", ("用途…项目",)),
                    Column(9, "use_amount", "支出用途金额", "amount", ("用途…金额",), item_from=8),
                ),
            ),
        ),
    ),
    TableSpec(
        "gpb_expenditure",
        "一般公共预算财政拨款支出表",
        (
            "一般公共预算财政拨款支出表",
            "一般公共预算支出表",
            "一般公共预算支出功能分类预算表",
            "一般公共预算财政拨款支出决算表",
            "一般公共预算支出预算表(功能科目)",
            "一般公共预算支出预算表",
        ),
        (
            _hebei(*_function_columns(_BASIC_PROJECT)),
            _coded("shanghai_budget", *_TOTAL_BASIC_PROJECT),
            _coded("shanghai_final", *_TOTAL_BASIC_PROJECT),
            _coded("jiangsu_budget", (3, "total", "金额", ("合计",))),
        ),
        subject="function",
    ),
    TableSpec(
        "gpb_basic_expenditure",
        "一般公共预算财政拨款基本支出表",
        (
            "一般公共预算财政拨款基本支出表",
            "一般公共预算基本支出表",
            "一般公共预算基本支出部门预算经济分类预算表",
            "一般公共预算财政拨款基本支出决算表",
            "一般公共预算基本支出预算表(经济科目)",
            "一般公共预算基本支出预算表",
        ),
        (
            _hebei(
                *_function_columns(
                    [("total", "合计", ()), ("personnel", "人员经费", ("人员支出",)), ("public_use", "公用经费", ("公用支出",))]
                )
            ),
            _coded(
                "shanghai_budget",
                (3, "total", "合计", ()),
                (4, "personnel", "人员经费", ()),
                (5, "public_use", "公用经费", ()),
            ),
            # 决算: 人员经费 and 公用经费 side by side, each a code, name, 决算数 panel.
            _coded("shanghai_final", (3, "total", "决算数", ()), panels=2),
            _coded("jiangsu_budget", (3, "total", "金额", ("合计",))),
        ),
        subject="economic",
    ),
    TableSpec(
        "gov_fund_expenditure",
        "政府性基金预算财政拨款支出表",
        (
            "政府基金预算财政拨款支出表",
            "政府性基金预算财政拨款支出表",
            "政府性基金预算支出表",
            "政府性基金预算支出功能分类预算表",
            "政府性基金预算财政拨款收入支出决算表",
            "政府性基金预算财政拨款支出预算表",
            "财政拨款政府性基金支出预算表",
            "政府性基金支出预算表",
        ),
        (
            _hebei(*_function_columns(_BASIC_PROJECT)),
            _coded("shanghai_budget", *_TOTAL_BASIC_PROJECT),
            _fund_final("shanghai_final"),
            _coded("jiangsu_budget", (3, "total", "金额", ("合计",))),
        ),
        subject="function",
    ),
    TableSpec(
        "soe_capital_expenditure",
        "国有资本经营预算财政拨款支出表",
        (
            "国有资本经营预算财政拨款支出表",
            "国有资本经营预算支出表",
            "国有资本经营预算支出功能分类预算表",
            "国有资本经营预算财政拨款收入支出决算表",
            "国有资本经营预算财政拨款支出预算表",
        ),
        (
            _hebei(*_function_columns(_BASIC_PROJECT)),
            _coded("shanghai_budget", *_TOTAL_BASIC_PROJECT),
            _fund_final("shanghai_final"),
        ),
        subject="function",
    ),
    TableSpec(
        "three_public",
        "财政拨款“三公”经费支出表",
        (
            '财政拨款"三公"经费支出表',
            '"三公"经费支出表',
            '财政拨款"三公"经费预算表',
            '"三公"经费和机关运行经费预算表',
            '财政拨款"三公"经费支出决算表',
            '"三公"经费、会议费、培训费支出预算表',
            '一般公共预算"三公"经费、会议费、培训费支出预算表',
        ),
        (
            _hebei(
                Column(1, "item", "项目", "label"),
                Column(2, "total", "合计", "amount", (), item_from=1),
                Column(3, "gpb", "一般公共预算财政拨款", "amount", ("一般公共预算",), item_from=1),
                Column(4, "gov_fund", "政府性基金预算拨款", "amount", ("政府性基金",), item_from=1),
                Column(5, "soe_capital", "国有资本经营预算财政拨款", "amount", ("国有资本经营",), item_from=1),
            ),
            # One row: the 三公 figures (all 财政拨款) and 机关运行经费 as columns, in 万元.
            Layout(
                "shanghai_budget",
                unit="万元",
                columns=
                (
                    _tp("total", "合计", ("合计",), _TP["total"]),
                    _tp("total", "因公出国（境）费", ("因公出国(境)费",), _TP["abroad"]),
                    _tp("total", "公务接待费", ("公务接待费",), _TP["reception"]),
                    _tp("total", "公务用车购置及运维费", ("公务用车购置及运行费…小计",), _TP["vehicle"]),
                    _tp("total", "公务用车购置费", ("公务用车购置及运行费…购置费", "购置费"), _TP["vehicle_purchase"]),
                    _tp("total", "公务用车运行维护费", ("公务用车购置及运行费…运行费", "运行费"), _TP["vehicle_operation"]),
                    _tp("total", "机关运行经费", ("机关运行经费",), 12),
                ),
            ),
            # 决算: 预算数 (key budget) and 决算数 (key total) for each item.
            Layout(
                "shanghai_final",
                tuple(
                    _tp(key, label, (f"{head}…{word}",), _TP[item], no)
                    for item, label, head in (
                        ("total", "合计", "合计"),
                        ("abroad", "因公出国（境）费", "因公出国(境)费"),
                        # 公务用车购置及运行费 or 公务用车购置及运行维护费, as districts print it.
                        ("vehicle", "公务用车购置及运维费", "公务用车购置及运行…小计"),
                        ("vehicle_purchase", "公务用车购置费", "公务用车购置费"),
                        ("vehicle_operation", "公务用车运行维护费", "公务用车运行"),
                        ("reception", "公务接待费", "公务接待费"),
                    )
                    for key, word, no in (("budget", "预算数", 6), ("total", "决算数", 2))
                ),
            ),
            # 公开09表: 一般公共预算 only; 合计 = 三公小计 + 会议费 + 培训费.
            Layout(
                "jiangsu_budget",
                (
                    _tp("gpb", "合计", ("合计",), _TP["total"], 3),
                    _tp("gpb", "“三公”经费小计", ('"三公"经费…小计',), _TP["subtotal"], 3),
                    _tp("gpb", "因公出国（境）费", ("因公出国(境)费",), _TP["abroad"], 3),
                    _tp("gpb", "公务用车购置及运维费", ("公务用车购置及运行维护费…小计",), _TP["vehicle"], 3),
                    _tp("gpb", "公务用车购置费", ("公务用车购置费",), _TP["vehicle_purchase"], 3),
                    _tp("gpb", "公务用车运行维护费", ("公务用车运行维护费",), _TP["vehicle_operation"], 3),
                    _tp("gpb", "公务接待费", ("公务接待费",), _TP["reception"], 3),
                    _tp("gpb", "会议费", ("会议费",), 10, 3),
                    _tp("gpb", "培训费", ("培训费",), 11, 3),
                ),
            ),
        ),
    ),
)

#: Tables some provinces print that have no national counterpart, kept under their own keys.
PROVINCIAL_TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "income_by_source",
        "收入预算总表（按资金来源）",
        ("收入预算总表",),
        (
            Layout(
                "jiangsu_budget",
                (
                    Column(1, "source", "项目名称", "label", ("项目",)),
                    Column(2, "item", "项目", "label", ("项目",)),
                    Column(3, "amount", "金额", "amount", (), item_from=(1, 2)),
                ),
            ),
        ),
    ),
    TableSpec(
        "expenditure_by_use",
        "支出预算总表（按支出用途）",
        ("支出预算总表",),
        (
            Layout(
                "jiangsu_budget",
                (
                    Column(1, "total", "合计", "amount"),
                    Column(2, "basic", "基本支出", "amount"),
                    Column(3, "project", "项目支出", "amount"),
                    Column(4, "reserve", "单位预留机动经费", "amount", ("预留",)),
                    Column(5, "carryover_next", "结转下年资金", "amount", ("结转下年",)),
                ),
            ),
        ),
    ),
    TableSpec(
        "fiscal_expenditure",
        "财政拨款支出表（功能科目）",
        ("财政拨款支出预算表(功能科目)", "财政拨款支出预算表"),
        (_coded("jiangsu_budget", (3, "total", "金额", ("合计",))),),
        subject="function",
    ),
    TableSpec(
        "fiscal_basic_expenditure",
        "财政拨款基本支出表（经济科目）",
        ("财政拨款基本支出预算表(经济科目)", "财政拨款基本支出预算表"),
        (_coded("jiangsu_budget", (3, "total", "金额", ("合计",))),),
        subject="economic",
    ),
    TableSpec(
        "operating_cost_expenditure",
        "机关运行经费支出表",
        ("一般公共预算机关运行经费支出预算表", "机关运行经费支出预算表"),
        (_coded("jiangsu_budget", (3, "total", "机关运行经费支出", ("机关运行经费", "金额"))),),
        subject="economic",
    ),
    TableSpec(
        "procurement_budget",
        "政府采购支出预算表",
        ("政府采购支出预算表", "政府采购预算表"),
        (
            Layout(
                "jiangsu_budget",
                (
                    Column(1, "category", "采购品目大类", "label", ("品目",)),
                    Column(2, "project", "专项名称", "label", ("专项",)),
                    Column(3, "economic_item", "经济科目", "label"),
                    Column(4, "goods", "采购物品名称", "label", ("物品",)),
                    Column(5, "procurement_form", "采购组织形式", "label", ("组织形式",)),
                    Column(6, "total", "总计", "amount", ("合计",), item_from=(1, 2, 3, 4)),
                ),
            ),
        ),
    ),
)

#: Every table budgetlib recognises: the nine national ones first.
ALL_TABLES: tuple[TableSpec, ...] = STANDARD_TABLES + PROVINCIAL_TABLES

#: Naming schemes: the layouts of one province (or format), with what a user would call them.
SCHEMES: dict[str, str] = {
    "hebei": "全国统一格式（河北样本：有序号与栏次）",
    "shanghai_budget": "上海市部门预算（单位：元，“三公”经费单位：万元）",
    "shanghai_final": "上海市部门决算（全国统一决算格式）",
    "jiangsu_budget": "江苏省部门预算（公开01表…公开12表）",
}

#: The unit each scheme prints its tables in (a layout may say otherwise, see Layout.unit).
SCHEME_UNITS: dict[str, str] = {"hebei": "万元", "shanghai_budget": "元", "shanghai_final": "万元", "jiangsu_budget": "万元"}


def scheme_tables(scheme: str) -> list[TableSpec]:
    """The tables a naming scheme prints (a document of that scheme should have each)."""
    return [spec for spec in ALL_TABLES if spec.layout(scheme)]


TABLES_BY_KEY: dict[str, TableSpec] = {t.key: t for t in ALL_TABLES}

#: What a printed title may carry before its name: a number (公开01表, 表1, 表十一, 一、, 1.),
#: the year (2025年, 2017年度), whose table it is (部门, 单位, 预算单位, 部门（单位）) and
#: 预算/决算. Titles are matched with these dropped, so each is declared once.
TITLE_NUMBERING = r"(?:公开\d{1,2}表|表[0-9一二三四五六七八九十]{1,3}[、.:]?|[一二三四五六七八九十]{1,3}[、.]|\d{1,2}[、.])"
_TITLE_PREFIX = re.compile(
    rf"^{TITLE_NUMBERING}?(\d{{4}}年度?)?(部门\(单位\)|预算单位|部门|单位)?(预算|决算)?"
)
#: A qualifier after the name: (功能科目), (经济科目), (一般公共预算).
_TITLE_QUALIFIER = re.compile(r"\([^()]{1,12}\)$")


def title_key(text: str) -> str:
    """A printed title reduced to what distinguishes the table (numbering, year, owner and qualifier dropped)."""
    return _TITLE_QUALIFIER.sub("", _TITLE_PREFIX.sub("", canon(text), count=1))


#: Title -> the tables printed under it, in declaration order. Two provinces can use one
#: title for different tables (Jiangsu's 收入预算总表 is by source, Shanghai's by function
#: subject): the layout that matches the header decides.
TITLE_INDEX: dict[str, tuple[TableSpec, ...]] = {}
for _spec in ALL_TABLES:
    for _title in _spec.titles:
        _key = title_key(_title)
        if _spec not in TITLE_INDEX.get(_key, ()):
            TITLE_INDEX[_key] = TITLE_INDEX.get(_key, ()) + (_spec,)


def specs_for_title(text: str) -> tuple[TableSpec, ...]:
    """Every table that may be printed under this title (empty when it is not a table title)."""
    if "表" not in text:  # every title has it (and no other character normalises to it): skip prose fast
        return ()
    return TITLE_INDEX.get(title_key(text), ())


def spec_for_title(text: str) -> TableSpec | None:
    """The first table printed under this title, or None."""
    specs = specs_for_title(text)
    return specs[0] if specs else None


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
    # Printed beside the 三公 by Jiangsu (公开09表), inside its 合计: 合计 = 小计 + 会议费 + 培训费.
    "meeting": ("会议费", None),
    "training": ("培训费", None),
}

#: Rows printed in a 三公 table that are not part of its sums: Shanghai puts 机关运行经费 beside
#: the 三公 (row 12 of its transposed layout). key -> (label, 序号).
THREE_PUBLIC_MEMO_ITEMS: dict[str, tuple[str, int]] = {"operating_cost": ("机关运行经费", 12)}

_ORDINAL = re.compile(r"^[一二三四五六七八九十]+[、.]|^\(?[0-9]+\)?[、.]|^其中[:：]")
_THREE_PUBLIC_INDEX = {canon(label).replace('"', ""): key for key, (label, _) in THREE_PUBLIC_ITEMS.items()}
_THREE_PUBLIC_INDEX.update({canon(label): key for key, (label, _) in THREE_PUBLIC_MEMO_ITEMS.items()})
_THREE_PUBLIC_INDEX.update({"小计": "subtotal", "三公经费合计": "total"})


def three_public_key(item: str | None) -> str | None:
    """The meaning of a printed 三公 row label, or None if it is not one of the declared rows."""
    if not item:
        return None
    text = canon(item).replace('"', "")
    while (stripped := _ORDINAL.sub("", text)) != text:
        text = stripped
    return _THREE_PUBLIC_INDEX.get(text)
