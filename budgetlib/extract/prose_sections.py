"""Prose of the 情况说明 cut into sections, paragraphs, sentences and clauses.

The first half of reading the prose figures (:mod:`budgetlib.extract.prose_facts` is
the second): :func:`prose_sections` groups the prose rows under the numbered headings
of the 情况说明 (二、部门预算安排的总体情况, 三、机关运行经费 …; Jiangsu's and the 决算's
一、收支预算总体情况说明 … 十四; Shanghai's unnumbered 部门预算编制说明) and joins lines
that a page break cut in two into one paragraph, leaving out page numbers. A numbered
heading that opens no known section (一、主要职责, 十、政府性基金…) closes the section
before it, so the duties and work plans are not read as figures; inside 其他重要事项 the
sub-headings （一）机关运行经费… （二）政府采购… open their sections. :func:`sentences`
and :func:`clauses` then cut a paragraph at 。 and at ，；： outside brackets and outside
numbers (``24,169.74`` and ``24，169.74`` are one number); a bracket's content is masked
out (:data:`MASK`) and kept aside, except the （类）（款）（项） of a function subject,
which stay in its name.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from budgetlib.read.rows import Row
from budgetlib.vocab.text import canon

# --------------------------------------------------------------------------- data

#: Headings of the 情况说明 and the section each one opens, searched in the heading's
#: title (the text before its first ：。；) once a leading year (2025年) is removed.
#: The first match wins: 三公 and 机关运行经费 before the overview's 一般公共预算….
SECTION_HEADINGS: tuple[tuple[str, re.Pattern], ...] = tuple(
    (key, re.compile(p))
    for key, p in (
        ("duties", r"^部门(主要)?职责"),
        ("three_public", r"三公"),
        ("operating", r"机关运行经费"),
        (
            "overview",
            r"^(部门)?预算(安排)?的?总体情况|^收支预算|^(部门)?预算编制说明|^收入支出(预算|决算)"
            r"|^(收入|支出)(预算|决算)情况|^财政拨款(收入|收支|支出|基本支出)|^一般公共预算(财政拨款)?(基本)?支出",
        ),
        ("performance", r"^预算绩效"),
        ("procurement", r"^政府采购"),
        ("assets", r"^国有资产|^固定资产"),
        ("glossary", r"^名词解释"),
        ("other", r"^其他(需要说明|重要事项|相关情况)"),
    )
)
#: Headings printed without a number (Shanghai), matched whole, once a leading year is removed.
PLAIN_HEADINGS: tuple[tuple[str, re.Pattern], ...] = (
    ("overview", re.compile(r"(部门)?预算编制说明")),
    ("other", re.compile(r"其他相关情况说明")),
)
_NUMBERED_HEADING = re.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]\s*(.*)$")
#: （一）机关运行经费支出情况: a sub-heading when short and without figures.
_SUB_HEADING = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[)）]\s*([^\d]{1,40})$")
#: 第三部分 … : a part of the document; the 情况说明's sections are opened again by their headings.
_PART = re.compile(r"^第[一二三四五六七八九十]{1,2}部分")
#: A sub-heading printed at the end of the sentence before it ("…略有增加。（二）政府采购支出情况").
_GLUED_SUB_HEADING = re.compile(r"(?<=[。；;])([（(][一二三四五六七八九十]{1,3}[)）][^\d。]{1,40})$")
#: A page number printed between two lines of a sentence cut by the page break.
_PAGE_NUMBER = re.compile(r"[-—–－]?\s*\d{1,4}\s*[-—–－]?|第\s*\d{1,4}\s*页(\s*[，,/]?\s*共\s*\d{1,4}\s*页)?")
_YEAR_LEAD = re.compile(r"^20\d{2}\s*年度?")
_TITLE_END = re.compile(r"[：:。；;]")
_INLINE_BRACKET = re.compile(r"[（(][类款项][)）]")
#: What ends a sentence.
SENTENCE_END = "。！？!?"
_CLAUSE_SEP = "，,；;：:"
_THOUSANDS = ",，"
_OPEN, _CLOSE = "（(【[", "）)】]"
#: What stands in a clause's text for each character of a bracket's content.
MASK = "\x00"
_SENTENCE_MARK = re.compile(f"[{re.escape(SENTENCE_END)}]")
#: What :func:`clauses` acts on: brackets and clause separators.
_CLAUSE_MARK = re.compile(f"[{re.escape(_OPEN + _CLOSE + _CLAUSE_SEP)}]")
_THREE_DIGITS = re.compile(r"\d{3}(?!\d)")
#: A line cut by a page break: long, and without closing punctuation.
_JOIN_MIN_CHARS = 20
_CLOSING = "。；;！!？?：:"


# ------------------------------------------------------------------ prose paragraphs


@dataclass
class Paragraph:
    """Prose lines joined across page breaks, remembering which line each part stands on."""

    section: str
    text: str = ""
    starts: list[tuple[int, int]] = field(default_factory=list)  # (offset, line)
    #: Where each part is printed (PDF only): ``(offset, ink, offset of the part in its row's ink)``.
    inks: list[tuple] = field(default_factory=list)

    def add(self, text: str, line: int, ink=None, ink_offset: int = 0) -> None:
        if ink is not None:
            self.inks.append((len(self.text), ink, ink_offset))
        self.starts.append((len(self.text), line))
        self.text += text

    def line_at(self, offset: int) -> int:
        line = self.starts[0][1]
        for start, ln in self.starts:
            if start > offset:
                break
            line = ln
        return line

    def box_at(self, start: int, end: int):
        """``(page, x0, y0, x1, y1)`` around characters ``start:end`` of the text, or None (not from a PDF)."""
        found = None
        for offset, ink, shift in self.inks:
            if offset > start:
                break
            found = (offset, ink, shift)
        if found is None:
            return None
        offset, ink, shift = found
        return ink.span(start - offset + shift, end - offset + shift)


def is_cut(text: str) -> bool:
    """Whether a line looks cut by a page break: long, and without closing punctuation."""
    return len(text) >= _JOIN_MIN_CHARS and text[-1] not in _CLOSING


def _section_of_title(rest: str) -> str | None:
    title = _TITLE_END.split(rest, maxsplit=1)[0]
    title = _YEAR_LEAD.sub("", canon(title))
    return next((key for key, pattern in SECTION_HEADINGS if pattern.search(title)), None)


def section_of(text: str) -> str | None:
    """The section a numbered heading opens, or None for any other line."""
    m = _NUMBERED_HEADING.match(text)
    return _section_of_title(m.group(1)) if m else None


@lru_cache(maxsize=8192)  # headings and short lines (titles, units) recur from document to document
def heading_of(text: str) -> tuple[bool, str | None]:
    """Whether a prose line is a heading, and the section it opens (None: it closes the section).

    A numbered heading (二、…) or a part (第三部分…) always is one; a sub-heading (（一）…)
    or an unnumbered heading only when it names a section.
    """
    if _PART.match(text):
        return True, None
    if m := _NUMBERED_HEADING.match(text):
        return True, _section_of_title(m.group(1))
    if (m := _SUB_HEADING.match(text)) and (section := _section_of_title(m.group(1))):
        return True, section
    if len(text) <= 30:
        bare = _YEAR_LEAD.sub("", canon(text))
        for key, pattern in PLAIN_HEADINGS:
            if pattern.fullmatch(bare):
                return True, key
    return False, None


def _pieces(text: str) -> list[str]:
    """A prose line, with a sub-heading printed at its end split off."""
    if "（" not in text and "(" not in text:
        return [text]  # a sub-heading opens with a bracket (and the search is slow on long lines)
    m = _GLUED_SUB_HEADING.search(text)
    if m and m.start() > 0 and heading_of(m.group(1))[1] is not None:
        return [text[: m.start()], m.group(1)]
    return [text]


def prose_sections(rows: list[Row]) -> Iterator[Paragraph]:
    """Paragraphs of prose under the headings of the 情况说明, in order."""
    section: str | None = None
    para: Paragraph | None = None
    for row in rows:
        if row.is_table:
            continue
        full = row.text.strip()
        ink = row.ink_at(0) if len(row.texts) == 1 else None
        lead = len(row.text) - len(row.text.lstrip())
        cursor = 0
        for text in _pieces(full):
            at = full.find(text, cursor)
            cursor = at + len(text)
            if not text or _PAGE_NUMBER.fullmatch(text):
                continue
            is_heading, opens = heading_of(text)
            if is_heading:
                section = opens
            if para is not None and not is_heading and is_cut(para.text):
                para.add(text, row.line, ink, lead + at)
                continue
            if para is not None:
                yield para
            para = None
            if section is not None:
                para = Paragraph(section)
                para.add(text, row.line, ink, lead + at)
    if para is not None:
        yield para


# ----------------------------------------------------------------- sentence reading


@dataclass(frozen=True, slots=True)
class Clause:
    """A clause of a sentence; bracketed text is masked out and kept in ``brackets``."""

    text: str
    offset: int
    brackets: tuple[tuple[str, int], ...]


def sentences(text: str) -> Iterator[tuple[str, int]]:
    start = 0
    for m in _SENTENCE_MARK.finditer(text):
        i = m.start()
        if text[start:i].strip():
            yield text[start : i + 1], start
        start = i + 1
    if text[start:].strip():
        yield text[start:], start


def _thousands_separator(text: str, i: int) -> bool:
    """Whether the comma at ``i`` separates the thousands of a number (24,169.74; 24，169.74)."""
    if text[i] not in _THOUSANDS:
        return False
    j = i
    while j > 0 and text[j - 1].isdigit():
        j -= 1
    return 1 <= i - j <= 3 and _THREE_DIGITS.match(text, i + 1, i + 5) is not None


def clauses(text: str, offset: int) -> list[Clause]:
    """Split at ，；： outside brackets and numbers; mask bracketed text and keep it aside.

    The （类）（款）（项） of a function subject are part of its name, not brackets.
    Only brackets and separators matter, so the text is walked from one to the next
    and copied (or masked) a stretch at a time.
    """
    out: list[Clause] = []
    parts: list[str] = []  # the clause so far: stretches of text and of masks
    brackets: list[tuple[str, int]] = []
    depth = start = open_at = copied = 0  # ``copied``: text before it is in ``parts``

    def close() -> None:
        clause = "".join(parts)
        if clause.strip(MASK + " "):
            out.append(Clause(clause, offset + start, tuple(brackets)))

    for m in _CLAUSE_MARK.finditer(text):
        i, ch = m.start(), m.group()
        if depth == 0:
            if ch in _OPEN and not _INLINE_BRACKET.match(text, i):
                parts.append(text[copied:i])
                depth, open_at, copied = 1, i, i
            elif ch in _CLAUSE_SEP and not _thousands_separator(text, i):
                parts.append(text[copied:i])
                close()
                parts, brackets, start, copied = [], [], i + 1, i + 1
            # else: a closing bracket outside brackets, a thousands separator, or the
            # （类） of a function subject (its closing bracket comes next, at depth 0): text
        elif ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
            if depth == 0:
                parts.append(MASK * (i + 1 - copied))
                copied = i + 1
                brackets.append((text[open_at + 1 : i], offset + open_at + 1))
    if depth:  # an unclosed bracket: keep its text as a bracket all the same
        parts.append(MASK * (len(text) - copied))
        brackets.append((text[open_at + 1 :], offset + open_at + 1))
    else:
        parts.append(text[copied:])
    close()
    return out

