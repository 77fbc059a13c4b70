"""Exact amounts: parse printed figures into :class:`decimal.Decimal` 万元."""
from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

#: Cells that are printed as "nothing here" rather than as a number.
BLANK_MARKS = frozenset({"", "-", "—", "——", "－", "–", "/", "—-"})

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")

#: Factor that converts an amount in the given unit into 万元.
UNIT_TO_WAN = {"万元": Decimal(1), "元": Decimal("0.0001"), "千元": Decimal("0.1"), "亿元": Decimal(10000)}


def is_blank(text: str) -> bool:
    if text.isascii():  # NFKC changes no ASCII text: skip it for the usual figure
        return text.strip() in BLANK_MARKS
    return unicodedata.normalize("NFKC", text).strip() in BLANK_MARKS


def parse_amount(text: str) -> Decimal | None:
    """Parse a printed figure (``1,718.93``, full-width digits, ``(1.5)`` negative).

    Returns None when the text is not a number; blank marks must be tested first
    with :func:`is_blank`.
    """
    t = (text if text.isascii() else unicodedata.normalize("NFKC", text)).strip().replace(" ", "")
    negative = False
    if t.startswith("(") and t.endswith(")"):
        negative, t = True, t[1:-1]
    if not _NUMBER.match(t):
        return None
    try:
        value = Decimal(t.replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the regex already guards this
        return None
    return -value if negative else value


def to_wan(value: Decimal, unit: str) -> Decimal:
    return value * UNIT_TO_WAN[unit]
