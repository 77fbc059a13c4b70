"""Where a figure stands in its source file, in the words an auditor reads.

In: a document's ``source_file`` and ``source_format`` (``documents`` table) and a
``source_line`` as the readers number it. Out: text — :func:`describe_line` gives the
place (``第14页第23行``), :func:`cite` the file and the place
(``部门预算.pdf 第14页第23行``). Pure: no I/O; every report, check and message that
names a source line goes through here.

Source lines are numbered per format:

============  ===============================================================
format        ``source_line``
============  ===============================================================
text shapes   the line number in the text file
``pdf``       ``page × PAGE_LINES + row``: row-th text line or table row of the
              page, counted from the top, both from 1 (``14023`` = 第14页第23行)
``docx``      the number of the paragraph or table row, counting both from 1
              in document order (Word shows no line numbers; the count keeps
              document order)
``xlsx/xls``  ``sheet × SHEET_LINES + row``: the row number Excel shows, on the
              sheet-th sheet (``2000017`` = 第2张工作表第17行)
============  ===============================================================
"""
from __future__ import annotations

#: Rows per PDF page in the line encoding.
PAGE_LINES = 1000
#: Rows per Excel sheet in the line encoding.
SHEET_LINES = 1_000_000


def describe_line(source_format: str | None, line: int | None) -> str:
    """Where a source line is, in words: ``第14页第23行``, ``第2张工作表第17行``, ``第23行``."""
    if line is None:
        return ""
    if source_format == "pdf":
        return f"第{line // PAGE_LINES}页第{line % PAGE_LINES}行"
    if source_format == "docx":
        return f"第{line}段（段落与表格行合计）"
    if source_format in ("xlsx", "xls"):
        return f"第{line // SHEET_LINES}张工作表第{line % SHEET_LINES}行"
    return f"第{line}行"


def cite(source_file: str | None, source_format: str | None, line: int | None) -> str:
    """``文件 第N行`` (``文件 第P页第N行`` for PDF): the file and the line in its format's words.

    Without a line, the file alone; without a file, the place alone.
    """
    place = describe_line(source_format, line)
    if not source_file:
        return place
    return f"{source_file} {place}" if place else source_file
