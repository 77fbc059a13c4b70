"""Word (.docx) through python-docx: paragraphs as text rows, tables as grids.

The body is read in document order, descending into content controls. A
table's cells are placed on the table grid: a cell spanning columns
(``gridSpan``) covers the positions to its right, a vertically merged cell
(``vMerge``) covers the positions below it, so merged headers and labels are
read as printed (see :mod:`.grid`).

**Source lines.** ``line`` counts paragraphs and table rows together, from 1,
in document order (Word shows no line numbers; the count keeps order).
"""
from __future__ import annotations

import io
import zipfile

from budgetlib.errors import ParseError
from budgetlib.read.rows import Cell, Row
from budgetlib.vocab.text import clean_cell
from budgetlib.read.grid import COVERED_LEFT, COVERED_UP, GridCell, cell_text, grid_rows

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, file: str) -> list[Row]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
        rows: list[Row] = []
        _read_blocks(document.element.body, rows, [0])
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError) as exc:
        raise ParseError(f"无法打开Word文件（文件损坏或不是.docx）：{type(exc).__name__}: {exc}", file=file) from None
    return rows


def _next(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


def _read_blocks(parent, rows: list[Row], counter: list[int]) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            line = _next(counter)
            text = clean_cell(_paragraph_text(child))
            if text:
                rows.append(Row((Cell(text, line),), False))
        elif tag == f"{_W}tbl":
            grid = _table_grid(child)
            lines = [_next(counter) for _ in grid]
            rows += grid_rows(grid, lines)
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                _read_blocks(content, rows, counter)


def _paragraph_text(p) -> str:
    parts = []
    for node in p.iter():
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append(" ")
        elif node.tag in (f"{_W}br", f"{_W}cr"):
            parts.append("\n")
    return "".join(parts)


def _val(node, name: str) -> str | None:
    if node is None:
        return None
    child = node.find(f"{_W}{name}")
    if child is None:
        return None
    return child.get(f"{_W}val", "")


def _table_grid(tbl) -> list[list[GridCell]]:
    grid: list[list[GridCell]] = []
    for tr in tbl.findall(f"{_W}tr"):
        trpr = tr.find(f"{_W}trPr")
        before = int(_val(trpr, "gridBefore") or 0)
        cells: list[GridCell] = [GridCell()] * before
        for tc in tr.findall(f"{_W}tc"):
            tcpr = tc.find(f"{_W}tcPr")
            span = int(_val(tcpr, "gridSpan") or 1)
            vmerge = _val(tcpr, "vMerge")
            if vmerge is not None and vmerge != "restart":
                cells += [COVERED_UP] + [COVERED_LEFT] * (span - 1)
                continue
            text = "\n".join(_paragraph_text(p) for p in tc.findall(f"{_W}p"))
            cells += [GridCell(cell_text(text))] + [COVERED_LEFT] * (span - 1)
        grid.append(cells)
    return grid
