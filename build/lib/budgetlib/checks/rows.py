"""Row identities: in every printed row, the 合计 column equals the sum of its part columns."""
from __future__ import annotations

from collections.abc import Iterator

from budgetlib.checks.views import Ref
from budgetlib.checks.identity import CELL, COL, Identity
from budgetlib.checks.registry import DocContext, check

_BASIC_PROJECT = [("total", ("basic", "project"))]
_FUNDS = [("total", ("gpb", "gov_fund", "soe_capital"))]

#: table -> [(total column, part columns[, unless this column is printed])], by the canonical
#: column keys of budgetlib.vocab.tables. Columns a layout does not print are left out.
ROW_IDENTITIES: dict[str, list[tuple]] = {
    "income": [
        ("total", ("subtotal", "carryover")),
        # Layouts without a 小计 column (Shanghai): 合计 = Σ sources directly.
        (
            "total",
            ("fiscal_appropriation", "fiscal_special_account", "business_income", "operating_income",
             "superior_subsidy", "affiliate_remittance", "other_income", "carryover"),
            "subtotal",
        ),
        (
            "subtotal",
            (
                "fiscal_appropriation",
                "fiscal_special_account",
                "business_income",
                "operating_income",
                "superior_subsidy",
                "affiliate_remittance",
                "other_income",
            ),
        ),
    ],
    "expenditure": [("total", ("basic", "project", "operating", "remit_to_superior", "subsidy_to_affiliates"))],
    "gpb_expenditure": _BASIC_PROJECT,
    "gov_fund_expenditure": _BASIC_PROJECT,
    "soe_capital_expenditure": _BASIC_PROJECT,
    "gpb_basic_expenditure": [("total", ("personnel", "public_use"))],
    "fiscal_summary": _FUNDS,
    "three_public": _FUNDS,
}


@check("rows.total_parts", "identities", "合计栏=各组成栏之和")
def total_parts(ctx: DocContext) -> Iterator[Identity]:
    """收入总表 合计 = 小计 + 上年结转, 小计 = Σ sources; 支出总表 合计 = Σ (基本, 项目, 经营,
    上解上级, 对附属单位补助); 财政拨款支出表 合计 = 基本 + 项目; 基本支出表 合计 = 人员经费 +
    公用经费; 财政拨款收支总表 and 三公 合计 = Σ funds. Checked in every printed row."""
    view = ctx.view
    for table, identities in ROW_IDENTITIES.items():
        rows = view.table_rows(table)
        if not rows:
            continue
        for total_key, part_keys, *unless in identities:
            if unless and unless[0] in view.columns.get(table, {}):
                continue
            printed = view.columns.get(table, {})
            # Columns that print nothing anywhere in the table are blank in every row: a
            # table that prints no total, or none of the parts, gives nothing to compare.
            total_col = printed.get(total_key)
            part_cols = [printed[k] for k in part_keys if k in printed]
            if total_col is None or not part_cols:
                continue
            for row_no in rows:
                yield Identity(
                    "rows.total_parts",
                    Ref(table, row_no, total_col),
                    tuple(Ref(table, row_no, c) for c in part_cols),
                    total_style=CELL,
                    addend_style=COL,
                )
