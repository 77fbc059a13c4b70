"""What every reader produces: rows of cells that remember their source line.

In: cell texts and their source lines, from any reader (the text shapes of
:mod:`budgetlib.read.text_shapes`, or the PDF, Word and Excel readers). Out: a
:class:`Row` (a table row or a line of prose), each a sequence of :class:`Cell`.
Table recognition (:mod:`budgetlib.extract.recognise`) works on rows only, so it
never needs to know which tool extracted the text.
"""
from __future__ import annotations

from typing import NamedTuple

#: ``(page, x0, y0, x1, y1)``: a page (from 1) and a box on it in PDF points from the page's top-left.
Box = tuple[int, float, float, float, float]
#: The box columns of ``line_items`` and ``narrative_facts`` (see :func:`box_columns`).
BOX_COLUMNS = ("page", "x0", "y0", "x1", "y1")


class Ink(NamedTuple):
    """Where a cell's text is printed (PDF only): its page and the boxes of its characters.

    ``boxes[i]`` is the box ``(x0, y0, x1, y1)`` of character ``i`` of the cell text, or None for a
    character the reader inserted (a space between words); a table cell keeps one box for its
    whole text.
    """

    page: int
    boxes: tuple

    def span(self, start: int = 0, end: int | None = None) -> Box | None:
        """The box around characters ``start:end`` of the text (the whole cell's box for a table cell).

        Characters that wrapped onto the next printed line (``1511.89万`` / ``元``) are left out:
        the box stays on the line where the span starts, not around two lines of a paragraph.
        """
        boxes = self.boxes if len(self.boxes) == 1 else self.boxes[start:end]
        first = next((b for b in boxes if b is not None), None)
        if first is not None and len(boxes) > 1:
            boxes = [b for b in boxes if b is not None and first[1] <= (b[1] + b[3]) / 2 <= first[3]]
        return _union(self.page, boxes)

    def joined(self, other: "Ink | None", gap: bool) -> "Ink":
        """This text followed by ``other``'s (after one inserted space when ``gap``)."""
        if other is None or other.page != self.page:
            return self
        return Ink(self.page, self.boxes + ((None,) if gap else ()) + other.boxes)


def _union(page: int, boxes) -> Box | None:
    present = [b for b in boxes if b is not None]
    if not present:
        return None
    return (
        page,
        min(b[0] for b in present),
        min(b[1] for b in present),
        max(b[2] for b in present),
        max(b[3] for b in present),
    )


def box_columns(box: Box | None) -> dict:
    """The box columns of a record: ``page``, ``x0``, ``y0``, ``x1``, ``y1`` (all None without a box)."""
    if box is None:
        return dict.fromkeys(BOX_COLUMNS)
    page, x0, y0, x1, y1 = box
    return {"page": page, "x0": round(x0, 2), "y0": round(y0, 2), "x1": round(x1, 2), "y1": round(y1, 2)}


class Cell(NamedTuple):
    """One cell's text and the source line it stands on (a tuple: cheap to make by the thousand)."""

    text: str
    line: int
    #: Only from the readers of original files (PDF, Word, Excel): ``"left"`` or ``"up"`` when
    #: this grid position is covered by a merged cell that starts to its left or above it
    #: (its text is then empty); ``""`` for a cell of its own.
    merged_from: str = ""
    #: Only from the PDF reader: where the text is printed (:class:`Ink`).
    ink: Ink | None = None


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

    def ink_at(self, pos: int) -> Ink | None:
        """Where cell ``pos`` is printed (PDF only, else None), without making the cells."""
        if self._cells is None or pos >= len(self._cells):
            return None
        return self._cells[pos].ink

    def box_at(self, pos: int) -> Box | None:
        """Page and box of cell ``pos``'s printed text (PDF only, else None)."""
        ink = self.ink_at(pos)
        return ink.span() if ink is not None else None

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

