"""Generations of an output folder: every run writes a complete new set, made current in one step.

Used for the processed folder (below) and, the same way, for the reports folder
(:mod:`budgetlib.batch.report_output`): ``index.html``, the comparison and
``departments/`` there resolve through ``.current`` as the tables do here.

Layout of a processed folder ``DATA``::

    DATA/.generations/<id>/        one complete set: every table's Parquet file and budget.duckdb
    DATA/.current                  symlink -> .generations/<id>: the current set
    DATA/documents.parquet         symlink -> .current/documents.parquet (one per table, never changed)
    DATA/budget.duckdb             symlink -> .current/budget.duckdb
    DATA/.lock                     the writers' lock (:mod:`budgetlib.store.lock`)

A writer (``parse`` or ``check``, under the lock) builds a new generation in its own
folder, fsyncs it, and replaces the ``.current`` symlink with ``rename(2)``: that one
atomic step switches every table at once. ``DATA/*.parquet`` and ``DATA/budget.duckdb``
stay at the paths users know; they resolve through ``.current``, so a reader opens
the files of one generation or of the next, never a mix, and a run killed at any
moment leaves the previous generation current. :func:`current` gives readers the
generation folder itself, so a reader that opens several files (``budgetlib.load``)
resolves ``.current`` once and reads one set even while a writer swaps.

The previous generation is kept (a reader that resolved it just before the swap can
finish); older ones, and the unfinished folders of an interrupted run, are removed
by the next writer. A folder written by an older budgetlib (plain files) is adopted
as the first generation by hard links, then its files are replaced by the symlinks,
each with the same content, so readers see no change.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from budgetlib import config, faults
from budgetlib.store.files import STAGING_PREFIX, discard

GENERATIONS = ".generations"
CURRENT = ".current"
#: Written last into a generation folder: the generation is complete.
COMPLETE = ".complete"
#: Temporary name of a link being swapped (:func:`_swap_link`).
_LINK_TEMP = re.compile(r".+\.[0-9a-f]{12}\.tmp")


def current(folder: Path) -> Path:
    """The folder readers read: the current generation, or ``folder`` itself if it has none.

    A folder without the ``.current`` link is read as plain files: one written by an
    older budgetlib, or a copy made by following links (whose ``.current`` became a
    folder, and whose plain files are what the user may have changed since).
    """
    link = Path(folder) / CURRENT
    if link.is_symlink():
        return link.resolve()
    return Path(folder)


def tables_of(generation: Path) -> list[Path]:
    """The Parquet files of one generation (or old-layout folder), sorted by name."""
    return sorted(p for p in Path(generation).glob("*.parquet") if p.exists())


def new_generation(folder: Path) -> Path:
    """A new, empty generation folder (call under the folder's lock, after :func:`clean`)."""
    root = Path(folder) / GENERATIONS
    root.mkdir(parents=True, exist_ok=True)
    path = root / f"{time.time_ns():020d}-{os.getpid()}-{secrets.token_hex(3)}"
    path.mkdir()
    return path


def carry(folder: Path, generation: Path, skip: Iterable[str]) -> None:
    """Link into ``generation`` every table of the current one not named in ``skip`` (a file is never changed in place)."""
    skip = set(skip)
    for path in tables_of(current(folder)):
        if path.stem not in skip:
            link_or_copy(path, generation / path.name)


def is_table_file(name: str) -> bool:
    """What a generation of the processed folder holds: the Parquet files and the database."""
    return name.endswith(".parquet") or name == config.DUCKDB_NAME


def publish(folder: Path, generation: Path, owned: Callable[[str], bool] = is_table_file, step: str = "store") -> None:
    """Make ``generation`` current in one atomic step, then point the top-level links at it.

    ``owned`` tells the names a generation holds (a file of the old layout with such a
    name is adopted; nothing else in ``folder`` is touched); ``step`` names the fault
    points (:mod:`budgetlib.faults`): ``STEP:swap``, ``STEP:links``, ``STEP:clean``.
    """
    folder = Path(folder)
    _fsync_tree(generation)
    (generation / COMPLETE).touch()
    _fsync_dir(generation)
    _adopt_old_layout(folder, owned)
    faults.point(f"{step}:swap")
    _swap_link(folder / CURRENT, Path(GENERATIONS) / generation.name)
    faults.point(f"{step}:links")
    _links(folder, sorted(p.name for p in generation.iterdir() if owned(p.name)))
    faults.point(f"{step}:clean")
    clean(folder)


def clean(folder: Path) -> None:
    """Remove what interrupted runs left (staging folders, unfinished generations) and old generations.

    Keeps the current generation and the newest complete one before it. Call under the lock.
    """
    folder = Path(folder)
    for leftover in folder.glob(f"{STAGING_PREFIX}*"):
        discard(leftover)
    for leftover in folder.glob("*.tmp"):
        if leftover.is_symlink() and _LINK_TEMP.fullmatch(leftover.name):  # a link an interrupted swap left
            leftover.unlink(missing_ok=True)
    root = (folder / GENERATIONS).resolve()  # compared with the resolved current one, also for a relative folder
    if not root.is_dir():
        return
    live = current(folder).resolve()
    complete = sorted((p for p in root.iterdir() if p.name < live.name and (p / COMPLETE).exists()), reverse=True)
    keep = {live, *complete[:1]}
    for path in root.iterdir():
        if path not in keep:
            discard(path)


def _swap_link(link: Path, target: Path) -> None:
    tmp = link.with_name(f"{link.name}.{secrets.token_hex(6)}.tmp")
    os.symlink(target, tmp)
    os.replace(tmp, link)
    _fsync_dir(link.parent)


def _links(folder: Path, names: list[str]) -> None:
    """``folder/NAME`` -> ``.current/NAME`` for each name (each replaced atomically; unchanged ones kept)."""
    for name in names:
        path, target = folder / name, Path(CURRENT) / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        _swap_link(path, target)
    # A name the current generation no longer holds must not leave a dangling link behind.
    for path in folder.iterdir():
        if path.is_symlink() and Path(os.readlink(path)).parts[:1] == (CURRENT,) and not path.exists():
            path.unlink()


def _adopt_old_layout(folder: Path, owned: Callable[[str], bool]) -> None:
    """A folder of plain files (budgetlib before generations) becomes its own first generation.

    Files are hard-linked in and then replaced by links of the same content, so readers
    see no change; a folder (``departments/``) is moved in and linked back at once.
    """
    link = folder / CURRENT
    if link.is_symlink():
        return
    if link.is_dir():  # a copy made by following links (shutil.copytree): its .current became a folder
        (folder / GENERATIONS).mkdir(exist_ok=True)
        os.rename(link, folder / GENERATIONS / f"copied-{secrets.token_hex(3)}")  # removed by clean()
    plain = [p for p in folder.iterdir() if owned(p.name) and not p.is_symlink() and not p.name.startswith(".")]
    if not plain:
        return
    generation = new_generation(folder)
    for path in plain:
        if path.is_file():
            link_or_copy(path, generation / path.name)
    (generation / COMPLETE).touch()
    _swap_link(folder / CURRENT, Path(GENERATIONS) / generation.name)
    for path in plain:
        if path.is_dir():
            os.rename(path, generation / path.name)
    _links(folder, [p.name for p in plain])


def link_or_copy(source: Path, dest: Path) -> None:
    """``dest`` becomes a hard link to ``source`` (a copy where the file system has none)."""
    try:
        os.link(source, dest)
    except OSError:  # another file system, or no hard links
        shutil.copy2(source, dest)


def _fsync_tree(folder: Path) -> None:
    """Every file and folder under ``folder`` on disk (before the swap makes them current)."""
    for path in sorted(folder.rglob("*"), reverse=True):  # files before the folders that hold them
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
        elif path.is_dir():
            _fsync_dir(path)
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
