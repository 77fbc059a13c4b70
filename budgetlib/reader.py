"""Readers for the text shapes disclosures come in, and automatic shape detection.

Every reader turns the source text into the same thing: a list of :class:`Row`,
each a list of :class:`Cell` that remembers the line it stands on. Table
recognition (:mod:`budgetlib.tables`) works on rows only, so it never needs to
know which tool extracted the text.

Shapes:

``pdf_text``
    Text extracted from a PDF: one table row per line, cells split by tabs,
    empty cells kept as empty fields. A line without a tab is a text row.
``word_text``
    Text extracted from Word: every cell on its own line starting with a tab,
    an empty line ends the row, a line without the leading tab inside a row
    continues the cell above it; ``[bookmark: …]`` markers are dropped.
``markdown``
    Markdown with HTML cells (``<b>…</b>``): as ``pdf_text`` once headings,
    emphasis and tags are removed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .text import clean_cell

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[-*]\s+")


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    line: int
    #: Only from the readers of original files (PDF, Word, Excel): ``"left"`` or ``"up"`` when
    #: this grid position is covered by a merged cell that starts to its left or above it
    #: (its text is then empty); ``""`` for a cell of its own.
    merged_from: str = ""


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    #: True for a row of a table (tab-separated), False for a line of prose.
    is_table: bool

    @property
    def line(self) -> int:
        return self.cells[0].line

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    @property
    def text(self) -> str:
        return " ".join(t for t in self.texts if t)


def detect_shape(lines: list[str]) -> str:
    """Choose the reader from the content: no flag, no file-name convention."""
    lead_only = inner = 0
    markdown = 0
    for line in lines:
        if "<b>" in line or _MD_HEADING.match(line):
            markdown += 1
        if "\t" not in line:
            continue
        if line.startswith("\t") and "\t" not in line[1:]:
            lead_only += 1
        else:
            inner += 1
    if lead_only > inner:
        return "word_text"
    if markdown >= 3:
        return "markdown"
    return "pdf_text"


def read_tab_rows(lines: list[str], *, markdown: bool = False) -> list[Row]:
    """Rows of the ``pdf_text`` and ``markdown`` shapes: one line, one row."""
    rows: list[Row] = []
    for no, raw in enumerate(lines, start=1):
        line = _BOOKMARK.sub("", raw)
        if markdown:
            line = _MD_BULLET.sub("", _MD_HEADING.sub("", line))
        if not line.strip():
            continue
        if "\t" in line:
            cells = tuple(Cell(clean_cell(part), no) for part in line.split("\t"))
            rows.append(Row(cells, True))
        else:
            rows.append(Row((Cell(clean_cell(line), no),), False))
    return rows


def read_word_rows(lines: list[str]) -> list[Row]:
    """Rows of the ``word_text`` shape: a cell per line, an empty line ends a row."""
    rows: list[Row] = []
    cells: list[list] = []  # [text, line] pairs of the open row

    def close() -> None:
        if cells:
            rows.append(Row(tuple(Cell(clean_cell(t), n) for t, n in cells), True))
            cells.clear()

    for no, raw in enumerate(lines, start=1):
        line = _BOOKMARK.sub("", raw)
        if line.startswith("\t"):
            cells.append([line[1:], no])
        elif not line.strip():
            close()
        elif cells:  # a cell that runs over several lines
            cells[-1][0] += line.strip()
        else:
            rows.append(Row((Cell(clean_cell(line), no),), False))
    close()
    return rows


def read_rows(text: str) -> tuple[str, list[Row]]:
    """Detect the shape of ``text`` and return ``(shape, rows)``."""
    lines = text.splitlines()
    shape = detect_shape(lines)
    if shape == "word_text":
        return shape, read_word_rows(lines)
    return shape, read_tab_rows(lines, markdown=shape == "markdown")
