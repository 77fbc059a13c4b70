"""Readers for the text shapes disclosures come in, and automatic shape detection.

Every reader turns the source text into the same thing: a list of :class:`Row`,
each a list of :class:`Cell` that remembers the line it stands on. Table
recognition (:mod:`budgetlib.extract.recognise`) works on rows only, so it never needs to
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
from typing import NamedTuple

from budgetlib.vocab.text import clean_cell

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[-*]\s+")


class Cell(NamedTuple):
    """One cell's text and the source line it stands on (a tuple: cheap to make by the thousand)."""

    text: str
    line: int
    #: Only from the readers of original files (PDF, Word, Excel): ``"left"`` or ``"up"`` when
    #: this grid position is covered by a merged cell that starts to its left or above it
    #: (its text is then empty); ``""`` for a cell of its own.
    merged_from: str = ""


class Row:
    """A table row (``is_table``) or a line of prose.

    ``texts``, ``text`` and ``line`` are computed once. A row made by a text reader
    (:meth:`of_texts`) makes its :class:`Cell` objects only when ``cells`` is first used:
    most rows are only ever looked at as text.
    """

    __slots__ = ("_cells", "_lines", "is_table", "texts", "text", "line")

    def __init__(self, cells: tuple[Cell, ...], is_table: bool):
        self._cells = cells
        self._lines = None
        self.is_table = is_table
        #: The cells' texts, in order (read-only by convention).
        self.texts = [c.text for c in cells]
        #: The non-empty texts joined by single spaces.
        self.text = " ".join(filter(None, self.texts))
        self.line = cells[0].line

    @classmethod
    def of_texts(cls, texts: list[str], line: int | list[int], is_table: bool) -> "Row":
        """A row of plain cells on source line ``line``, or on ``line[i]`` each."""
        row = cls.__new__(cls)
        row._cells = None
        row._lines = line if isinstance(line, list) else None
        row.is_table = is_table
        row.texts = texts
        row.text = " ".join(filter(None, texts))
        row.line = line[0] if isinstance(line, list) else line
        return row

    def line_at(self, pos: int) -> int:
        """The source line of cell ``pos`` (without making the cells)."""
        if self._cells is not None:
            return self._cells[pos].line
        return self.line if self._lines is None else self._lines[pos]

    @property
    def cells(self) -> tuple[Cell, ...]:
        if self._cells is None:
            lines = self._lines or [self.line] * len(self.texts)
            self._cells = tuple(map(Cell, self.texts, lines))
        return self._cells

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Row) and (self.cells, self.is_table) == (other.cells, other.is_table)

    def __hash__(self) -> int:
        return hash((self.cells, self.is_table))

    def __repr__(self) -> str:
        return f"Row(cells={self.cells!r}, is_table={self.is_table!r})"


def detect_shape(lines: list[str]) -> str:
    """Choose the reader from the content: no flag, no file-name convention."""
    lead_only = inner = 0
    markdown = 0
    for line in lines:
        if "<b>" in line or ("#" in line[:4] and _MD_HEADING.match(line)):
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
    append = rows.append
    for no, line in enumerate(lines, start=1):
        if "[bookmark:" in line:
            line = _BOOKMARK.sub("", line)
        if markdown and (line[:1] in "#-*" or line[:1].isspace()):  # may be a heading or bullet
            line = _MD_BULLET.sub("", _MD_HEADING.sub("", line))
        if not line or line.isspace():
            continue
        if "\t" not in line:
            append(Row.of_texts([clean_cell(line)], no, False))
        elif "<" in line or "*" in line or "\u3000" in line:
            append(Row.of_texts([clean_cell(part) for part in line.split("\t")], no, True))
        else:  # plain cells: clean_cell would only strip them
            append(Row.of_texts([part.strip() for part in line.split("\t")], no, True))
    return rows


def read_word_rows(lines: list[str]) -> list[Row]:
    """Rows of the ``word_text`` shape: a cell per line, an empty line ends a row."""
    rows: list[Row] = []
    cells: list[list] = []  # [text, line] pairs of the open row

    def close() -> None:
        if cells:
            rows.append(Row.of_texts([clean_cell(t) for t, _ in cells], [n for _, n in cells], True))
            cells.clear()

    for no, line in enumerate(lines, start=1):
        if "[bookmark:" in line:
            line = _BOOKMARK.sub("", line)
        if line.startswith("\t"):
            cells.append([line[1:], no])
        elif not line.strip():
            close()
        elif cells:  # a cell that runs over several lines
            cells[-1][0] += line.strip()
        else:
            rows.append(Row.of_texts([clean_cell(line)], no, False))
    close()
    return rows


def read_rows(text: str) -> tuple[str, list[Row]]:
    """Detect the shape of ``text`` and return ``(shape, rows)``."""
    lines = text.splitlines()
    shape = detect_shape(lines)
    if shape == "word_text":
        return shape, read_word_rows(lines)
    return shape, read_tab_rows(lines, markdown=shape == "markdown")
