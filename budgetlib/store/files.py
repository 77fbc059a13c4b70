"""Writing files so that a reader never sees half of one, and a failed run keeps the last good one.

In: the path of the file (or the folder of the files) to write, and the code that
writes it. Out: the file in place, moved there with :func:`os.replace` only once it
is complete. :func:`atomic_path` yields a temporary path beside the target (same
folder, so the move is atomic), fsyncs and moves it into place when the block ends
normally, and removes it (or keeps it under another name, as a log) when the block
raises. :func:`atomic_write_text` writes one text file that way.
:func:`staging_dir` is the same idea for several files written together: a
temporary folder beside the targets, always removed at the end; the caller moves
each finished file into place with :func:`os.replace`.
"""
from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Name prefix of staging folders (``.tmp-…``): hidden, and recognisable as leftovers.
STAGING_PREFIX = ".tmp-"


def temp_name(path: Path, suffix: str = ".tmp") -> Path:
    """A fresh hidden name beside ``path``: ``.name.<random>.tmp`` (or another ``suffix``)."""
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}{suffix}")


@contextmanager
def atomic_path(path: str | os.PathLike, *, temp: Path | None = None, failed: Path | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``path`` to write; move it to ``path`` when the block ends.

    The block must create the file at the yielded path. When it ends normally the
    file is fsynced and moved into place with :func:`os.replace`; when it raises, the
    file is removed, or moved to ``failed`` where given (kept as a log), and the
    error goes on. ``temp`` names the temporary file (default: :func:`temp_name`).
    """
    path = Path(path)
    tmp = Path(temp) if temp is not None else temp_name(path)
    try:
        yield tmp
        with open(tmp, "rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if failed is not None and tmp.exists():
            os.replace(tmp, failed)
        else:
            tmp.unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` as UTF-8 (``\\n`` line ends) to ``path`` through :func:`atomic_path`."""
    with atomic_path(path) as tmp, open(tmp, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def make_staging_dir(folder: Path) -> Path:
    """A new empty staging folder inside ``folder`` (created if missing); remove it with :func:`discard`."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))


def discard(staging: Path) -> None:
    """Remove a staging folder (or a folder inside one) and whatever is left in it."""
    shutil.rmtree(staging, ignore_errors=True)


@contextmanager
def staging_dir(folder: Path) -> Iterator[Path]:
    """A staging folder inside ``folder`` for the block, removed when the block ends however it ends."""
    staging = make_staging_dir(folder)
    try:
        yield staging
    finally:
        discard(staging)
