"""Office files checked before they are loaded: what they would unpack to, and the grid they declare.

A .docx or .xlsx is a zip of XML. A few kilobytes can declare a gigabyte of XML, a cell
at ``XFD1048576`` (a grid of 17 billion positions) or a cell spanning fifty million
columns; python-docx, openpyxl and the grid reader (:mod:`.grid`) would then run for
minutes and take gigabytes. :func:`check_office` reads only the zip's directory and
streams the XML once, and raises a :class:`~budgetlib.errors.ParseError` naming the
limit before any of that is loaded:

- every member's and all members' uncompressed size (``zipfile`` never inflates a
  member beyond the size it declares);
- .xlsx: the rows × columns of each sheet from its cell references and merged ranges
  (what the grid will hold), the merged areas, and the ``<dimension>`` it declares;
- .docx: the columns each table cell spans (``gridSpan``, ``gridBefore``, ``gridAfter``;
  ``vMerge`` continues a cell down within those columns), and the table rows times
  the widest row (the grid reader pads every row of a table to the widest).

The limits are far above any published budget (a few hundred rows and a few dozen
columns a table) and far below what would hurt.
"""
from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator

from budgetlib.errors import ParseError

#: Uncompressed bytes of one member, and of all members together.
MAX_MEMBER_BYTES = 256 * 1024**2
MAX_UNPACKED_BYTES = 512 * 1024**2
#: Grid positions (rows × columns) of one sheet, and covered positions of its merged ranges together.
MAX_GRID_CELLS = 2_000_000
#: What a sheet's ``<dimension>`` may declare: more lenient (some exporters declare a whole old-format sheet).
MAX_DECLARED_CELLS = 50_000_000
#: Columns one Word table cell may span (Word itself allows 63).
MAX_SPAN = 1000

_REF = rb'(?:r|ref)="\$?([A-Z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Z]{1,3})\$?([0-9]{1,7}))?"'
_XLSX_TAG = re.compile(rb"<(?:\w+:)?(c|mergeCell|dimension)\b[^>]*?\s" + _REF)
_DOCX_TAG = re.compile(rb'<w:(tr|tc|gridSpan|gridBefore|gridAfter)\b(?:[^>]*?w:val="\s*([0-9]+))?')
_CHUNK = 1024 * 1024


def check_office(data: bytes, kind: str, file: str) -> None:
    """Raise :class:`ParseError` if the ``docx``/``xlsx`` in ``data`` would unpack past a limit."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        members = book.infolist()
        for info in members:
            if info.file_size > MAX_MEMBER_BYTES:
                raise ParseError(f"文件中的 {info.filename} 解压后有 {_mb(info.file_size)}，超过 {_mb(MAX_MEMBER_BYTES)} 的限制（可能是压缩炸弹）", file=file)
        total = sum(info.file_size for info in members)
        if total > MAX_UNPACKED_BYTES:
            raise ParseError(f"文件解压后共 {_mb(total)}，超过 {_mb(MAX_UNPACKED_BYTES)} 的限制（可能是压缩炸弹）", file=file)
        if kind == "xlsx":
            for info in members:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    _check_sheet(book, info.filename, file)
        elif kind == "docx" and "word/document.xml" in book.namelist():
            _check_spans(book, file)


def _check_sheet(book: zipfile.ZipFile, name: str, file: str) -> None:
    rows = cols = 0
    merged = 0
    for match in _matches(book, name, _XLSX_TAG, file):
        tag, c1, r1, c2, r2 = match.groups()
        top, left = int(r1), _column(c1)
        bottom, right = (int(r2), _column(c2)) if c2 else (top, left)
        if tag == b"dimension":
            if (bottom - top + 1) * (right - left + 1) > MAX_DECLARED_CELLS:
                raise ParseError(f"工作表 {name} 声明的范围 {_ref(match)} 过大（超过 {MAX_DECLARED_CELLS} 个单元格的限制）", file=file)
            continue
        rows, cols = max(rows, bottom), max(cols, right)
        if tag == b"mergeCell":
            merged += (bottom - top + 1) * (right - left + 1)
        if rows * cols > MAX_GRID_CELLS or merged > 4 * MAX_GRID_CELLS:
            raise ParseError(
                f"工作表 {name} 的单元格 {_ref(match)} 使表格达到 {rows} 行 × {cols} 列，超过 {MAX_GRID_CELLS} 个单元格的限制", file=file
            )


def _check_spans(book: zipfile.ZipFile, file: str) -> None:
    rows = widest = width = 0
    for match in _matches(book, "word/document.xml", _DOCX_TAG, file):
        tag, value = match.group(1), match.group(2)
        if tag == b"tr":
            rows, width = rows + 1, 0
            continue
        count = int(value or 1)
        if tag != b"tc" and count > MAX_SPAN:
            raise ParseError(f"Word表格中的单元格跨 {count} 列（{tag.decode()}），超过 {MAX_SPAN} 列的限制", file=file)
        width += count - 1 if tag == b"gridSpan" else count  # the cell (tc) itself counted its first column
        widest = max(widest, width)
        if rows * widest > MAX_GRID_CELLS:
            raise ParseError(f"Word表格达到 {rows} 行 × {widest} 列，超过 {MAX_GRID_CELLS} 个单元格的限制", file=file)


def _matches(book: zipfile.ZipFile, name: str, pattern: re.Pattern, file: str) -> Iterator[re.Match]:
    """Matches of ``pattern`` in a member, read a megabyte at a time, cut only after a ``>`` (never inside a tag)."""
    tail = b""
    with book.open(name) as stream:
        while chunk := stream.read(_CHUNK):
            buffer = tail + chunk
            cut = buffer.rfind(b">") + 1
            yield from pattern.finditer(buffer, 0, cut)
            tail = buffer[cut:]
            if len(tail) > 16 * _CHUNK:
                raise ParseError(f"文件中的 {name} 不是正常的XML（超过16 MB没有标签结束）", file=file)
    yield from pattern.finditer(tail)


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


def _ref(match: re.Match) -> str:
    c1, r1, c2, r2 = (g.decode() if g else "" for g in match.groups()[1:])
    return f"{c1}{r1}:{c2}{r2}" if c2 else f"{c1}{r1}"


def _mb(n: int) -> str:
    return f"{n / 1024**2:.0f} MB"
