"""Parse a batch of documents: find them under folders, parse each, keep every failure.

In: files and folders (:func:`discover` finds the documents under them, in a stable
order). Out: from :func:`parse_paths`, one :class:`~budgetlib.extract.document.ParsedDocument`
or :class:`Failure` (file, line, reason) per document, in that order, one at a time so
the caller can stream them to disk. A bad file never stops the batch: every document is
parsed in a worker process under a time and a memory limit (:mod:`budgetlib.batch.limits`),
and one past a limit is a failure like any other; one document's parse is
:func:`budgetlib.extract.document.parse_document`.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from budgetlib import config
from budgetlib import faults
from budgetlib.batch.limits import LimitExceeded, Limits, run_limited
from budgetlib.errors import BudgetlibError
from budgetlib.extract.document import ParsedDocument, parse_document


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


def parse_paths(
    paths: Iterable[Path], progress: bool = False, workers: int | None = 1, limits: Limits | None = None
) -> Iterator[ParsedDocument | Failure]:
    """Parse every document; yield each result or failure as it comes, in :func:`discover` order.

    Documents are parsed in ``workers`` processes (``None``: one per core), each under
    ``limits`` (default :class:`~budgetlib.batch.limits.Limits`); results still arrive in
    order and one at a time, so the caller can stream them to disk.
    """
    seen: set[str] = set()
    jobs: list[tuple[Path, str, bool]] = []
    for path, source_file in discover(paths):
        jobs.append((path, source_file, source_file in seen))
        seen.add(source_file)
    workers = min(workers or config.cores(), config.cores())
    outcomes = run_limited(_parse_job, jobs, workers, limits or Limits())
    results = (_failure(job, out) if isinstance(out, LimitExceeded) else out for job, out in zip(jobs, outcomes))
    if progress:
        from tqdm import tqdm

        results = tqdm(results, total=len(jobs), desc="解析文档", unit="份")
    yield from results


def _failure(job: tuple[Path, str, bool], exceeded: LimitExceeded) -> Failure:
    return Failure(job[1], None, "ParseError", exceeded.message)


def _parse_job(job: tuple[Path, str, bool]) -> ParsedDocument | Failure:
    """One document's result or failure; never raises, so a batch survives any one file.

    A ``MemoryError`` goes on to the worker (:mod:`budgetlib.batch.limits`), which names the limit.
    """
    path, source_file, duplicate = job
    if duplicate:
        return Failure(source_file, None, "ParseError", "同名文件已在本批次中出现，请分开放置或改名")
    faults.point(f"parse:{source_file}")
    try:
        return parse_document(path, source_file)
    except Exception as exc:  # noqa: BLE001 - a batch must survive any one file
        if _out_of_memory(exc):
            raise MemoryError from exc
        if isinstance(exc, BudgetlibError):
            return Failure(source_file, exc.line, type(exc).__name__, exc.message)
        return Failure(source_file, None, type(exc).__name__, f"解析时发生内部错误：{exc!r}")


def _out_of_memory(exc: BaseException | None) -> bool:
    """Whether ``exc`` is, or was raised while handling, a ``MemoryError`` (readers wrap theirs)."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False
