"""Parse one document into the processed tables of the contract.

In: a file (:func:`parse_document`) or its bytes (:func:`parse_bytes`). Out: a
:class:`ParsedDocument` holding rows per processed table, or a :class:`ParseError`
naming the file and line. Batches (many files, worker processes, every failure kept)
are :mod:`budgetlib.batch.parse_batch`. Extractors each turn a parsed document into
rows of one or more processed tables; new content (prose figures, performance
targets …) is a new extractor.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from budgetlib.errors import ParseError
from budgetlib.read import read_bytes
from budgetlib.extract.headlines import headline_records
from budgetlib.extract.texts import text_records
from budgetlib.extract.metadata import DocumentMeta, document_metadata
from budgetlib.extract.prose_facts import narrative_facts
from budgetlib.extract.targets import performance_targets
from budgetlib.read.rows import Row
from budgetlib.extract.small_tables import sections
from budgetlib.extract.recognise import TableBlock, find_tables, line_items


@dataclass
class Context:
    """What every extractor gets: the document's rows, tables and metadata."""

    doc_id: str
    source_file: str
    shape: str
    rows: list[Row]
    blocks: list[TableBlock]
    meta: DocumentMeta


@dataclass
class ParsedDocument:
    doc_id: str
    source_file: str
    #: Rows per processed table name, as plain dicts in contract column order.
    records: dict[str, list[dict]] = field(default_factory=dict)


Extractor = Callable[[Context], dict[str, list[dict]]]


def _standard_tables(ctx: Context) -> dict[str, list[dict]]:
    items, presence = [], []
    for block in ctx.blocks:
        block_items = line_items(block, ctx.source_file)
        items += [{"doc_id": ctx.doc_id, **li._asdict()} for li in block_items]
        presence.append(
            {
                "doc_id": ctx.doc_id,
                "table": block.spec.key,
                "title": block.title,
                "data_rows": len(block.data_rows),
                "numbers": len(block_items),
                "unit": block.unit,
                "note": block.note,
                "layout": block.layout.scheme if block.layout else None,
                "status": table_status(block, block_items),
                "reason": block.reason,
                "columns": column_concepts(block),
                "source_line": block.title_line,
            }
        )
    return {"line_items": items, "document_tables": presence}


def table_status(block: TableBlock, items: list) -> str:
    """``recognised``, ``empty`` (recognised, no figure printed) or ``unmapped``."""
    if block.status != "recognised":
        return block.status
    return "recognised" if items else "empty"


def column_concepts(block: TableBlock) -> str | None:
    """The column keys the table was read with, in 栏次 order (``code,name,total,basic``)."""
    if not block.columns:
        return None
    return ",".join(c.key for _, c in sorted(block.columns.items()))


def vars_of(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__slots__}


#: Extractors run on every document, in order.
EXTRACTORS: list[Extractor] = [_standard_tables, narrative_facts, sections, performance_targets, text_records]


def doc_id_for(source_file: str) -> str:
    """Stable id: the same file (by its path under the input folder) always gets the same id."""
    return hashlib.blake2b(source_file.encode("utf-8"), digest_size=8).hexdigest()


def disclosure_id_for(meta: DocumentMeta) -> str | None:
    """The id shared by the files of one disclosure: same department, year, kind and level.

    A department-year is often published as two files (the prose in one, the tables in
    the other); both get this id. None when the document does not say whose or which
    year it is: it is then a disclosure of its own.
    """
    if not (meta.department_name and meta.fiscal_year and meta.doc_kind):
        return None
    key = f"{meta.department_name}|{meta.fiscal_year}|{meta.doc_kind}|{meta.level}"
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def parse_document(path: Path, source_file: str | None = None) -> ParsedDocument:
    """Parse one document. Raises :class:`ParseError` naming the file and line."""
    source_file = source_file or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParseError(f"无法读取文件：{exc.strerror}", file=source_file) from None
    return parse_bytes(data, source_file)


def parse_bytes(data: bytes, source_file: str) -> ParsedDocument:
    """Parse a document's bytes; ``source_file`` names it in ids and errors.

    The file type is sniffed from the bytes: PDF, Word (.docx) and Excel (.xlsx, .xls)
    go to :mod:`budgetlib.read`, anything else is read as text.
    """
    shape, rows = read_bytes(data, source_file)
    blocks = find_tables(rows, source_file)
    # Tables that could not be mapped say nothing of the document (its kind, unit, year).
    meta = document_metadata(rows, [b for b in blocks if b.status != "unmapped"], source_file)
    if meta.doc_kind is None:
        if blocks:  # titles found, but not one table could be read: nothing to keep
            raise ParseError(f"未能读出任何标准表：{blocks[0].reason}", file=source_file, line=blocks[0].title_line)
        raise ParseError("不是部门预算/决算公开文件：未找到标准表格或绩效目标表", file=source_file)
    doc_id = doc_id_for(source_file)
    ctx = Context(doc_id, source_file, shape, rows, blocks, meta)
    parsed = ParsedDocument(doc_id, source_file)
    parsed.records["documents"] = [
        {
            "doc_id": doc_id,
            "source_file": source_file,
            "sha256": hashlib.sha256(data).hexdigest(),
            "source_format": shape,
            **vars_of(meta),
            "disclosure_id": disclosure_id_for(meta) or doc_id,
        }
    ]
    for extract in EXTRACTORS:
        for table, recs in extract(ctx).items():
            parsed.records.setdefault(table, []).extend(recs)
    parsed.records["headlines"] = headline_records(doc_id, shape, parsed.records)
    return parsed

