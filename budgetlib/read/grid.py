"""From a table grid (PDF, Word, Excel) to the :class:`~budgetlib.read.rows.Row` the recogniser reads.

Every reader of an original format hands over each table as a grid: a list of
rows, each a list of :class:`GridCell` (text, or a position covered by a merged
cell). Two things happen here, the same for every format:

* **Cell text** is normalised as a reader of the page sees it: line breaks
  inside a cell are joined, and the spaces of letter-spaced Chinese
  (``因 公 出 国``) are dropped.
* **Spurious grid columns are merged.** Drawing tools often cut a column into
  several grid columns (a border that stops half-way, a cell that spans two).
  Adjacent grid columns are merged when some row has a merged cell spanning
  the boundary between them, no row has a cell of its own on both sides of it
  (a border drawn there) and no row prints text on both sides of it, so a
  logical column of the printed table is one cell of each row.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from budgetlib.read.rows import Cell, Ink, Row
from budgetlib.vocab.text import clean_cell

_CJK = r"\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(rf"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")


@dataclass(frozen=True, slots=True)
class GridCell:
    text: str = ""
    #: ``"left"``/``"up"``: covered by a merged cell starting to the left / above.
    merged_from: str = ""
    #: Where the text is printed (PDF only): one box for the whole cell.
    ink: Ink | None = None


COVERED_LEFT = GridCell("", "left")
COVERED_UP = GridCell("", "up")


def cell_text(raw: str | None) -> str:
    """Text of one cell as read: lines joined, letter-spacing between CJK characters removed."""
    if not raw:
        return ""
    lines = [part.strip() for part in str(raw).replace("\r", "\n").split("\n")]
    text = ""
    for part in lines:
        if not part:
            continue
        if text and not (re.match(rf"[{_CJK}]", part[0]) or re.search(rf"[{_CJK}]$", text)):
            text += " "
        text += part
    return clean_cell(_CJK_GAP.sub("", text))


def merge_columns(grid: list[list[GridCell]]) -> list[list[GridCell]]:
    """Merge spurious grid columns (see the module docstring); every row gets the same width."""
    width = max((len(r) for r in grid), default=0)
    rows = [list(r) + [GridCell()] * (width - len(r)) for r in grid]
    if width < 2:
        return rows
    groups: list[list[int]] = [[0]]
    for j in range(1, width):
        group = groups[-1]
        spans = any(r[j].merged_from == "left" for r in rows)
        clash = any(r[j].text and any(r[k].text for k in group) for r in rows)
        ruled = any(not r[j].merged_from and not r[group[-1]].merged_from for r in rows)
        if spans and not clash and not ruled:
            group.append(j)
        else:
            groups.append([j])
    if len(groups) == width:
        return rows
    merged = []
    for r in rows:
        out = []
        for group in groups:
            own = [r[k] for k in group if not r[k].merged_from]
            if own:
                out.append(GridCell("".join(c.text for c in own), "", _joined_ink([c.ink for c in own])))
            else:
                out.append(r[group[0]])
        merged.append(out)
    return merged


def _joined_ink(inks: list) -> Ink | None:
    """One box around the inks of cells merged into one."""
    boxes = [ink.span() for ink in inks if ink is not None]
    if not boxes:
        return None
    page = boxes[0][0]
    return Ink(page, ((min(b[1] for b in boxes), min(b[2] for b in boxes), max(b[3] for b in boxes), max(b[4] for b in boxes)),))


def grid_rows(grid: list[list[GridCell]], lines: list[int]) -> list[Row]:
    """Table rows of one grid; ``lines[i]`` is the source line of grid row ``i``.

    Rows whose cells are all empty are kept (as empty table rows): the
    recogniser skips them, and keeping them keeps line numbers stable. A row
    that is one cell spanning the whole table (a title or a note drawn inside
    the table) becomes a text row.
    """
    result = []
    for cells, line in zip(merge_columns(grid), lines):
        if len(cells) > 1 and cells[0].text and all(c.merged_from == "left" for c in cells[1:]):
            result.append(Row((Cell(cells[0].text, line, "", cells[0].ink),), False))
            continue
        result.append(Row(tuple(Cell(c.text, line, c.merged_from, c.ink) for c in cells), True))
    return result
