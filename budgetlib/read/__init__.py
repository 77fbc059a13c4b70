"""Reading a document: bytes in, ``(source_format, rows)`` out, whatever the format.

:func:`read_bytes` is the entry point. :func:`read_document` sniffs the file type
from its first bytes (never from the file name) and hands the original formats
offices publish, PDF, Word (.docx) and Excel (.xlsx, .xls), to their readers;
anything else is text, decoded and read by its shape
(:mod:`budgetlib.read.text_shapes`). Every reader gives the same
:class:`~budgetlib.read.rows.Row` list, so table recognition, checks and reports
work the same whatever the format.

Office files are checked for what they would unpack to before they are loaded
(:mod:`budgetlib.read.office_limits`).

Source lines (``source_line`` in every processed table) are numbered per format as
:mod:`budgetlib.vocab.sources` declares them; it also turns them back into words.
"""
from __future__ import annotations

from budgetlib.errors import BudgetlibError, ParseError
from budgetlib.read.rows import Row
from budgetlib.read.text_shapes import decode, read_rows

#: Formats read by this package, by their sniffed type.
BINARY_FORMATS = ("pdf", "docx", "xlsx", "xls")

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """``pdf``, ``docx``, ``xlsx``, ``xls``, ``zip`` (another zip), ``badzip``, ``ole`` (another OLE file) or ``text``."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data[:4] == b"PK\x03\x04":
        import zipfile
        from io import BytesIO

        try:
            names = zipfile.ZipFile(BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return "badzip"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "zip"
    if data[:8] == _OLE:
        return "xls" if b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data or b"B\x00o\x00o\x00k" in data else "ole"
    return "text"


def read_bytes(data: bytes, file: str) -> tuple[str, list[Row]]:
    """``(source_format, rows)`` of any document: an original format by its reader, else text by its shape.

    ``file`` names the document in errors (:class:`ParseError`).
    """
    original = read_document(data, file)
    if original is not None:
        return original
    return read_rows(decode(data, file))


def read_document(data: bytes, file: str) -> tuple[str, list[Row]] | None:
    """``(source_format, rows)`` for an original-format file, None for text (read by :mod:`budgetlib.read.text_shapes`).

    A file the format's library cannot read (a damaged zip member, a broken PDF
    object) is a :class:`ParseError` naming the file, never the library's own error.
    """
    try:
        return _read_document(data, file)
    except BudgetlibError:
        raise
    except Exception as exc:  # noqa: BLE001 - third-party readers raise anything on damaged files
        raise ParseError(f"文件已损坏或格式无法读取（{type(exc).__name__}: {exc}），请重新下载原文件", file=file) from None


def _read_document(data: bytes, file: str) -> tuple[str, list[Row]] | None:
    kind = sniff(data)
    if kind in ("docx", "xlsx"):
        from budgetlib.read.office_limits import check_office

        check_office(data, kind, file)
    if kind == "pdf":
        from budgetlib.read.pdf import read_pdf

        return kind, read_pdf(data, file)
    if kind == "docx":
        from budgetlib.read.docx import read_docx

        return kind, read_docx(data, file)
    if kind in ("xlsx", "xls"):
        from budgetlib.read.xlsx import read_xls, read_xlsx

        return kind, (read_xlsx if kind == "xlsx" else read_xls)(data, file)
    if kind == "badzip":
        raise ParseError("文件损坏：以ZIP（Word .docx / Excel .xlsx）格式开头，但无法解压，请重新下载", file=file)
    if kind == "zip":
        raise ParseError("是ZIP压缩文件但不是Word(.docx)或Excel(.xlsx)文件，请解压后再读取", file=file)
    if kind == "ole":
        raise ParseError("是旧版Office文件但不是Excel(.xls)工作簿（旧版Word .doc请另存为.docx或PDF）", file=file)
    return None

