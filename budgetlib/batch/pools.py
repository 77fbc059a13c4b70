"""Worker processes for the batch jobs: every process pool of budgetlib is started here.

In: how many workers (and optionally a function each worker runs first), or one call
to run elsewhere. Out: a :class:`~concurrent.futures.ProcessPoolExecutor` whose
workers are fresh interpreters (the ``spawn`` start method: forking a process that
holds polars' thread pool, ZMQ sockets or other threads' locks is not safe), or, from
:func:`in_child`, the call's result (or its exception) computed in such a process.
"""
from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor


def spawn_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A pool of ``workers`` fresh interpreter processes, each running ``initializer`` first."""
    context = multiprocessing.get_context("spawn")
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=initializer)


def in_child(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a fresh child process; its result (or exception) comes back.

    The memory the call takes is given back to the system when it returns.
    """
    with spawn_pool(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()
