"""What every reader produces: rows of cells that remember their source line.

In: cell texts and their source lines, from any reader (the text shapes of
:mod:`budgetlib.read.text_shapes`, or the PDF, Word and Excel readers). Out: a
:class:`Row` (a table row or a line of prose), each a sequence of :class:`Cell`.
Table recognition (:mod:`budgetlib.extract.recognise`) works on rows only, so it
never needs to know which tool extracted the text.
"""
from __future__ import annotations

from typing import NamedTuple


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

