"""Generations of the processed folder: every run writes a complete new set, made current in one step.

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
import secrets
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

from budgetlib import config, faults
from budgetlib.store.files import STAGING_PREFIX, discard

GENERATIONS = ".generations"
CURRENT = ".current"
#: Written last into a generation folder: the generation is complete.
COMPLETE = ".complete"


def current(folder: Path) -> Path:
    """The folder readers read: the current generation, or ``folder`` itself if it has none (an old layout)."""
    link = Path(folder) / CURRENT
    if link.is_symlink() or link.is_dir():
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
            _link_or_copy(path, generation / path.name)


def publish(folder: Path, generation: Path) -> None:
    """Make ``generation`` current in one atomic step, then point the per-table links at it."""
    folder = Path(folder)
    _fsync_tree(generation)
    (generation / COMPLETE).touch()
    _fsync_dir(generation)
    _adopt_old_layout(folder)
    faults.point("store:swap")
    _swap_link(folder / CURRENT, Path(GENERATIONS) / generation.name)
    faults.point("store:links")
    _table_links(folder, [p.name for p in tables_of(generation)] + [config.DUCKDB_NAME])
    faults.point("store:clean")
    clean(folder)


def clean(folder: Path) -> None:
    """Remove what interrupted runs left (staging folders, unfinished generations) and old generations.

    Keeps the current generation and the newest complete one before it. Call under the lock.
    """
    folder = Path(folder)
    for leftover in folder.glob(f"{STAGING_PREFIX}*"):
        discard(leftover)
    for leftover in folder.glob(f"{CURRENT}.*.tmp"):
        leftover.unlink(missing_ok=True)
    root = folder / GENERATIONS
    if not root.is_dir():
        return
    live = current(folder)
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


def _table_links(folder: Path, names: list[str]) -> None:
    """``folder/NAME`` -> ``.current/NAME`` for each name (each replaced atomically; unchanged ones kept)."""
    for name in names:
        path, target = folder / name, Path(CURRENT) / name
        if path.is_symlink() and Path(os.readlink(path)) == target:
            continue
        _swap_link(path, target)
    # A table no longer written (a generation without it) must not leave a dangling link behind.
    for path in folder.glob("*.parquet"):
        if path.is_symlink() and not path.exists():
            path.unlink()


def _adopt_old_layout(folder: Path) -> None:
    """A folder of plain files (budgetlib before generations) becomes its own first generation."""
    if (folder / CURRENT).is_symlink():
        return
    plain = [p for p in [*folder.glob("*.parquet"), folder / config.DUCKDB_NAME] if p.is_file() and not p.is_symlink()]
    if not plain:
        return
    generation = new_generation(folder)
    for path in plain:
        _link_or_copy(path, generation / path.name)
    (generation / COMPLETE).touch()
    _swap_link(folder / CURRENT, Path(GENERATIONS) / generation.name)
    _table_links(folder, [p.name for p in plain])


def _link_or_copy(source: Path, dest: Path) -> None:
    try:
        os.link(source, dest)
    except OSError:  # another file system, or no hard links
        shutil.copy2(source, dest)


def _fsync_tree(folder: Path) -> None:
    for path in folder.iterdir():
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())
    _fsync_dir(folder)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
