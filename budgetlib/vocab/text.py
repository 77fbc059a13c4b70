"""Normalising cell text: cleaning, matching keys, LaTeX leftovers."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_WS = re.compile(r"\s+")

# Lines around a table that readers of the small tables (units, procurement, assets, targets) skip.
#: A department line above a table: its code, then its name (``711 平乡县总工会``).
DEPT_LINE = re.compile(r"^\d{3,}\s*[^\d\s年.、]")
#: ``单位：万元``, with the unit it names.
UNIT_NOTE = re.compile(r"单位[:：]\s*(万元|千元|亿元|元)")
#: Stray text-box lines of Word extractions: "(", "2", ")".
STRAY_MARK = re.compile(r"^[\s()（）\d\-—.·]{1,4}$")

_TAGS = re.compile(r"</?(?:b|p|strong|br|span|i|em|u|td|th|tr)\b[^>]*>", re.IGNORECASE)


def clean_cell(text: str) -> str:
    """Cell text as printed: HTML/Markdown emphasis removed, outer spaces stripped."""
    # The cheap `in` tests skip the regex and copies for the (usual) plain cell.
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "**" in text:
        text = text.replace("**", "")
    text = text.strip()
    if "\u3000" in text:
        text = text.replace("\u3000", " ").strip()
    return text


@lru_cache(maxsize=65536)
def canon(text: str) -> str:
    """Matching key: NFKC (full-width to half-width), no whitespace, unified quotes."""
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("“", '"').replace("”", '"').replace("‘", "'").replace("’", "'")
    return _WS.sub("", text)


#: LaTeX left in text by PDF-to-Markdown extraction (``$\geq 95\%$``), longest first.
_LATEX = (("\\geqslant", "≥"), ("\\leqslant", "≤"), ("\\geq", "≥"), ("\\leq", "≤"), ("\\ge", "≥"), ("\\le", "≤"), ("\\%", "%"), ("$", ""))
_AFTER_OPERATOR = re.compile(r"([≥≤])\s+")


def strip_latex(text: str) -> str:
    r"""``$\geq 95\%$`` → ``≥95%``: the symbols a reader expects, no LaTeX."""
    for latex, symbol in _LATEX:
        text = text.replace(latex, symbol)
    return _AFTER_OPERATOR.sub(r"\1", text)
