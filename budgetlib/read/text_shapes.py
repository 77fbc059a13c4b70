"""The text shapes disclosures come in: bytes of a text file to rows, the shape detected.

In: the bytes of a text disclosure (not PDF, Word or Excel) and its file name (for
errors). Out: :func:`decode` gives the text (UTF-8 with or without BOM, else
GB18030); :func:`read_rows` detects its shape from the content and gives
``(shape, rows)``, the same :class:`~budgetlib.read.rows.Row` list the readers of
original formats produce.

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

from budgetlib.errors import ParseError
from budgetlib.read.rows import Row
from budgetlib.vocab.text import clean_cell

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET = re.compile(r"^\s*[-*]\s+")


def decode(data: bytes, file: str) -> str:
    """Decode a text disclosure: UTF-8 (with or without BOM), else GB18030."""
    if not data.strip():
        raise ParseError("文件为空（empty file）", file=file)
    if b"\x00" in data[:4096]:
        raise ParseError("不是文本文件：含有二进制内容（binary file）", file=file)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ParseError(f"无法识别文本编码（neither UTF-8 nor GB18030）: {exc}", file=file) from None


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
