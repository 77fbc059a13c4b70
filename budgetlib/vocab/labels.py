"""The labels of total rows (合计, 总计, 本年收入合计 …), declared once.

Every printed total row is named by a few words: the total word itself (合计, 总计,
小计), optionally the side it totals (收入, 支出) and, on a 收支总表, the year it is
about (本年, 当年). Each context that recognises total rows accepts its own set of
labels, and those sets legitimately differ (the 收支总表 tells 本年收入合计 from
收入总计; a small table's total may read 资产总额), so each context's set is named here
and built from the same words rather than written out again. Labels are compared
after :func:`budgetlib.vocab.text.canon`. Plain data and predicates, no I/O.
"""
from __future__ import annotations

import re

from budgetlib.vocab.text import canon

#: The total words.
TOTAL = "合计"
GRAND = "总计"
SUBTOTAL = "小计"
#: The sides a label may name, and the years a 收支总表 total may name.
SIDES = ("收入", "支出")
YEARS = ("本年", "当年")
#: The total of a fixed-asset table (部门固定资产占用情况表).
ASSETS_TOTAL = "资产总额"

#: 合计 and 总计 with nothing beside them.
BARE_TOTALS = frozenset({TOTAL, GRAND})
#: 合计, 收入合计, 支出合计.
PLAIN_TOTALS = frozenset({TOTAL, *(side + TOTAL for side in SIDES)})
#: 总计, 收入总计, 支出总计.
GRAND_TOTALS = frozenset({GRAND, *(side + GRAND for side in SIDES)})
#: 本年收入合计, 当年支出小计, 本年合计 …: the year total of a 收支总表 side.
YEAR_TOTALS = frozenset(year + side + word for year in YEARS for side in ("", *SIDES) for word in (TOTAL, SUBTOTAL))

#: The total row of a subject table (uncoded): 合计, 总计, 收入合计, 支出合计.
TABLE_TOTALS = BARE_TOTALS | PLAIN_TOTALS
#: A first cell that starts the data of a table even when its row prints no number.
DATA_START_TOTALS = PLAIN_TOTALS | GRAND_TOTALS | {YEARS[0] + side + TOTAL for side in SIDES}
#: The total row of a small table of the 情况说明 (procurement, fixed assets).
SMALL_TABLE_TOTALS = BARE_TOTALS | {ASSETS_TOTAL}
#: A prose label that is only a sum word ("小计 5.00万元"): the whole of the parts before it.
SUM_WORDS = BARE_TOTALS | {SUBTOTAL}


#: The Chinese ordinal a printed line label starts with (一、一般公共服务支出).
_ORDINAL = re.compile(r"^[一二三四五六七八九十百]+[、.．]")


def plain_name(text: str | None) -> str:
    """A row label reduced for matching: canonical, without a leading Chinese ordinal (``一、``)."""
    return _ORDINAL.sub("", canon(text or ""))


def is_subtotal(label: str) -> bool:
    """A 小计 row of a small table (…小计)."""
    return label.endswith(SUBTOTAL)


def year_totals(side: str) -> tuple[str, ...]:
    """The year total of one side of a 收支总表 as the schemes print it (本年收入合计; Jiangsu's 当年收入小计)."""
    return (YEARS[0] + side + TOTAL, YEARS[1] + side + SUBTOTAL)


def side_totals(side: str) -> tuple[str, ...]:
    """The grand total of one side of a 收支总表 (收入总计, else 收入合计)."""
    return (side + GRAND, side + TOTAL)


def row_total(row: str) -> str:
    """A row printed as the total of one kind (人员经费合计 in the 决算 基本支出表)."""
    return row + TOTAL
