"""Parse documents into the processed tables of the contract.

:func:`parse_document` reads one file; :func:`parse_paths` reads a batch and
never stops on a bad file: each failure is kept with its file, line and reason.
Extractors each turn a parsed document into rows of one or more processed tables;
new content (prose figures, performance targets …) is a new extractor.
"""
from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from budgetlib import config
from budgetlib.errors import BudgetlibError, ParseError
from budgetlib.read import read_document
from budgetlib.extract.metadata import DocumentMeta, document_metadata
from budgetlib.extract.prose_facts import narrative_facts
from budgetlib.extract.targets import performance_targets
from budgetlib.read.rows import Row, read_rows
from budgetlib.extract.small_tables import sections
from budgetlib.extract.recognise import TableBlock, find_tables, line_items
from budgetlib.vocab.text import decode


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
                "source_line": block.title_line,
            }
        )
    return {"line_items": items, "document_tables": presence}


def vars_of(obj) -> dict:
    return {name: getattr(obj, name) for name in obj.__slots__}


#: Extractors run on every document, in order.
EXTRACTORS: list[Extractor] = [_standard_tables, narrative_facts, sections, performance_targets]


def doc_id_for(source_file: str) -> str:
    """Stable id: the same file (by its path under the input folder) always gets the same id."""
    return hashlib.blake2b(source_file.encode("utf-8"), digest_size=8).hexdigest()


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
    original = read_document(data, source_file)
    if original is not None:
        shape, rows = original
    else:
        shape, rows = read_rows(decode(data, source_file))
    blocks = find_tables(rows, source_file)
    meta = document_metadata(rows, blocks)
    if meta.doc_kind is None:
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
        }
    ]
    for extract in EXTRACTORS:
        for table, recs in extract(ctx).items():
            parsed.records.setdefault(table, []).extend(recs)
    return parsed


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, str]]:
    """Every document under ``paths`` as ``(path, source_file)``, in a stable order."""
    for root in paths:
        if root.is_dir():
            for path in sorted(p for p in root.rglob("*") if p.is_file()):
                rel = path.relative_to(root)
                if any(part.startswith(".") for part in rel.parts) or path.name.startswith("~$"):
                    continue  # hidden files, and the lock files Office leaves beside open documents
                if path.suffix.lower() in config.DOCUMENT_SUFFIXES:
                    yield path, rel.as_posix()
        else:
            yield root, root.name


@dataclass
class Failure:
    source_file: str
    line: int | None
    error: str
    message: str


#: Fewer documents than this are parsed in this process: starting worker processes costs more.
POOL_MIN_DOCUMENTS = 32


def parse_paths(
    paths: Iterable[Path], progress: bool = False, workers: int | None = 1
) -> Iterator[ParsedDocument | Failure]:
    """Parse every document; yield each result or failure as it comes, in :func:`discover` order.

    ``workers`` > 1 (``None``: one per core) parses in that many processes; results still
    arrive in order and one at a time, so the caller can stream them to disk.
    """
    seen: set[str] = set()
    jobs: list[tuple[Path, str, bool]] = []
    for path, source_file in discover(paths):
        jobs.append((path, source_file, source_file in seen))
        seen.add(source_file)
    workers = min(workers or config.cores(), config.cores())
    if workers > 1 and len(jobs) >= POOL_MIN_DOCUMENTS:
        results = _parse_in_pool(jobs, workers)
    else:
        results = map(_parse_job, jobs)
    if progress:
        from tqdm import tqdm

        results = tqdm(results, total=len(jobs), desc="解析文档", unit="份")
    yield from results


def _parse_in_pool(jobs: list[tuple[Path, str, bool]], workers: int) -> Iterator[ParsedDocument | Failure]:
    # spawn, as in the report runner: a fork would copy the parent's threads' locks.
    context = multiprocessing.get_context("spawn")
    chunk = max(1, min(16, len(jobs) // (workers * 8)))
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            for result in pool.map(_parse_job, jobs, chunksize=chunk):
                done += 1
                yield result
    except BrokenProcessPool:  # a worker died (killed, out of memory): go on here, one by one
        yield from map(_parse_job, jobs[done:])


def _parse_job(job: tuple[Path, str, bool]) -> ParsedDocument | Failure:
    """One document's result or failure; never raises, so a batch survives any one file."""
    path, source_file, duplicate = job
    if duplicate:
        return Failure(source_file, None, "ParseError", "同名文件已在本批次中出现，请分开放置或改名")
    try:
        return parse_document(path, source_file)
    except BudgetlibError as exc:
        return Failure(source_file, exc.line, type(exc).__name__, exc.message)
    except Exception as exc:  # noqa: BLE001 - a batch must survive any one file
        return Failure(source_file, None, type(exc).__name__, f"解析时发生内部错误：{exc!r}")
