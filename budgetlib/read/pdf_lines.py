"""The text of a PDF page outside its tables, as rows: one per printed line, paragraphs joined.

Characters whose middles fall within one line's height make a line; a line is
cut where it leaves a wide gap (``编制部门：… 单位：元``), and the lines of a
paragraph wrapped at the right margin are joined back into one row. Every
character keeps its box, so a figure found in the prose can be shown where it
is printed (:class:`~budgetlib.read.rows.Ink`).
"""
from __future__ import annotations

import re
from operator import itemgetter

from budgetlib.read.pdf_objects import BOTTOM, SIZE, TEXT, TOP, X0, X1
from budgetlib.read.rows import Cell, Ink, Row
from budgetlib.vocab.text import clean_cell

_CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
#: A line ending within this many characters of the right margin may wrap (a long number
#: or word that did not fit moves to the next line whole).
_WRAP = 6


class Line:
    """Characters printed on one line, left to right once :func:`text_lines` is done."""

    __slots__ = ("chars", "top", "bottom")

    def __init__(self, char: dict):
        self.chars = [char]
        self.top, self.bottom = char[TOP], char[BOTTOM]


def text_lines(chars: list[dict]) -> list[Line]:
    """Lines of the (non-blank) characters, top to bottom: a character joins one of the last three
    lines when its middle is within that line's height (0.5 pt either way)."""
    lines: list[Line] = []
    line = None  # the last line: most characters join it
    for char in sorted(chars, key=itemgetter(TOP, X0)):
        text = char[TEXT]
        if not text or text.isspace():
            continue
        top, bottom = char[TOP], char[BOTTOM]
        middle = (top + bottom) / 2
        if line is not None and line.top - 0.5 <= middle <= line.bottom + 0.5:
            found = line
        else:
            found = next((ln for ln in lines[-3:-1][::-1] if ln.top - 0.5 <= middle <= ln.bottom + 0.5), None)
        if found is None:
            line = Line(char)
            lines.append(line)
            continue
        found.chars.append(char)
        if top < found.top:
            found.top = top
        if bottom > found.bottom:
            found.bottom = bottom
    for ln in lines:
        ln.chars.sort(key=itemgetter(X0))
    return lines


def segments(line: Line) -> list[tuple[str, float, float, float, list]]:
    """The line cut at wide gaps: ``(text, x0, x1, size, boxes)`` per segment, a box per character."""
    chars = line.chars
    size = max([c[SIZE] for c in chars]) or 10.0
    wide, spaced, overlap = 2.5 * size, 0.3 * size, -0.5 * size
    out = []
    parts: list[str] = []
    boxes: list = []
    start = prev = None
    for char in chars:
        text = char[TEXT]
        if prev is not None:
            gap = char[X0] - prev[X1]
            if gap > wide:
                out.append(("".join(parts), start, prev[X1], size, boxes))
                parts, boxes, start = [], [], None
            elif gap > spaced and not (_CJK.match(prev[TEXT]) or _CJK.match(text)):
                parts.append(" ")
                boxes.append(None)
            elif gap < overlap and text == prev[TEXT]:
                continue  # a character drawn twice (fake bold)
        if start is None:
            start = char[X0]
        parts.append(text)
        box = (char[X0], char[TOP], char[X1], char[BOTTOM])
        if len(text) == 1:
            boxes.append(box)
        else:
            boxes += [box] * len(text)
        prev = char
    out.append(("".join(parts), start, prev[X1], size, boxes))
    return out


def reflow(text_rows: list[tuple[int, list]], page: int) -> list[Row]:
    """Text rows of ``(line, segments)``; a paragraph wrapped at the right margin is joined into one row."""
    singles = [segs[0] for _, segs in text_rows if len(segs) == 1]
    right = max((s[2] for s in singles), default=0)
    left = min((s[1] for s in singles), default=0)
    rows: list[Row] = []
    open_row: list | None = None  # [text, line, x1, size, last line, boxes] of a row that may continue
    for line, segs in text_rows:
        if len(segs) == 1:
            text, x0, x1, size, boxes = segs[0]
            if open_row and line == open_row[4] + 1 and x0 <= left + 0.5 * size and abs(size - open_row[3]) < 0.5:
                gap = not (_CJK.match(text[:1]) or _CJK.match(open_row[0][-1:]))
                open_row[0] += (" " if gap else "") + text
                open_row[5] += ([None] if gap else []) + boxes
                open_row[2], open_row[4] = x1, line
                if x1 < right - _WRAP * size:
                    rows.append(text_row(open_row[0], open_row[1], page, open_row[5]))
                    open_row = None
                continue
            if open_row:
                rows.append(text_row(open_row[0], open_row[1], page, open_row[5]))
                open_row = None
            if x1 >= right - _WRAP * size and len(text) > 10:
                open_row = [text, line, x1, size, line, list(boxes)]
            else:
                rows.append(text_row(text, line, page, boxes))
            continue
        if open_row:
            rows.append(text_row(open_row[0], open_row[1], page, open_row[5]))
            open_row = None
        for text, _x0, _x1, _size, boxes in segs:
            rows.append(text_row(text, line, page, boxes))
    if open_row:
        rows.append(text_row(open_row[0], open_row[1], page, open_row[5]))
    return rows


def text_row(text: str, line: int, page: int, boxes: list) -> Row:
    """A line of text outside tables: one cleaned cell, its characters' boxes kept aligned with it."""
    cleaned = clean_cell(text)
    plain = text.replace("\u3000", " ")
    if len(plain) == len(boxes) and "<" not in text and "**" not in text:
        start = len(plain) - len(plain.lstrip())
        ink = Ink(page, tuple(boxes[start : start + len(cleaned)]))
    else:  # markup removed: the characters no longer line up, keep one box for the row
        whole = Ink(page, tuple(boxes)).span()
        ink = Ink(page, (whole[1:],)) if whole else None
    return Row((Cell(cleaned, line, "", ink),), False)
