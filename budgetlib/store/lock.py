"""One writer per output folder: a lock file that a second run waits for, then names.

:func:`folder_lock` holds ``FOLDER/.lock`` (``flock``, so the lock goes with the
process: a killed run never leaves a stale lock behind) for the block. A second run
into the same folder waits up to :func:`wait_seconds` for it, then stops with a
:class:`~budgetlib.errors.DataError` that says, in Chinese, which process holds it.
Readers never take the lock: they follow the current generation
(:mod:`budgetlib.store.generations`), which a writer replaces in one atomic step.
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from budgetlib.errors import DataError

LOCK_NAME = ".lock"
#: How long a second writer waits for the first by default (``BUDGETLIB_LOCK_WAIT`` seconds changes it).
DEFAULT_WAIT = 30.0


def wait_seconds() -> float:
    return float(os.environ.get("BUDGETLIB_LOCK_WAIT", DEFAULT_WAIT))


@contextmanager
def folder_lock(folder: Path, wait: float | None = None) -> Iterator[None]:
    """Hold ``folder``'s write lock for the block (the folder is created if missing)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    wait = wait_seconds() if wait is None else wait
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise DataError(
                        f"另一个 budgetlib 运行（进程 {_holder(fd)}）正在写入 {folder}，已等待 {wait:g} 秒；"
                        "请等它结束后再运行（或改用另一个输出目录）",
                        file=str(folder),
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the flock


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode().strip() or "未知"
    except OSError:
        return "未知"
