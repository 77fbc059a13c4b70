"""Run one job per document in worker processes, each job under a wall-clock and a memory limit.

In: a function, the jobs (one per document), how many workers and the :class:`Limits`.
Out: from :func:`run_limited`, each job's result in the order of the jobs, one at a
time, or a :class:`LimitExceeded` for a job that went past a limit.

The workers are long-lived, fresh interpreters (``spawn``): each imports the parser
once and then takes one job after another over a pipe, so a document costs a
message, not a process. While a job runs its worker's address space may grow by
``Limits.max_memory`` at most (``RLIMIT_AS``, set per job over what the worker held
before it), so a decompression bomb ends in a ``MemoryError`` inside the worker, not
in the machine's OOM killer. The parent is the watchdog: a worker still busy at its
job's deadline is killed (SIGKILL) and a new one started in its place; a worker that
dies for any other reason is replaced the same way. The other jobs go on. A worker
ends with its parent, even in the middle of a job.

Idle workers are kept for the next call in this process (tests and ``budgetlib run``
parse several times) and stopped when the process exits.
"""
from __future__ import annotations

import multiprocessing
import multiprocessing.util
import os
import resource
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from budgetlib import faults

#: Defaults for a 2-core, 24 GB machine: a budget document parses in a few seconds and
#: well under 500 MB; these leave room for the largest real ones and stop the bombs.
DEFAULT_TIMEOUT = 60.0
DEFAULT_MAX_MEMORY = 2 * 1024**3


@dataclass(frozen=True)
class Limits:
    """What one document may take: ``timeout`` seconds of wall clock, ``max_memory`` bytes."""

    timeout: float = DEFAULT_TIMEOUT
    max_memory: int = DEFAULT_MAX_MEMORY

    def timeout_message(self) -> str:
        return f"解析超过 {self.timeout:g} 秒的时间限制，已停止（文件可能损坏或异常复杂）；可用 --timeout 放宽"

    def memory_message(self) -> str:
        return f"解析超过 {format_bytes(self.max_memory)} 内存限制，已停止（文件解压后过大或已损坏）；可用 --max-memory 放宽"

    def died_message(self, exitcode: int | None) -> str:
        return (f"解析进程异常退出（退出码 {exitcode}），文件可能已损坏或超过 {format_bytes(self.max_memory)} 内存限制"
                "；可用 --max-memory 放宽")


def format_bytes(n: int) -> str:
    """``2 GB``, ``512 MB``: the way the limits are named to users."""
    if n >= 1024**3:
        return f"{round(n / 1024**3, 1):g} GB"
    return f"{n / 1024**2:.0f} MB"


def parse_size(text: str) -> int:
    """``2G``, ``1.5GB``, ``512M``, ``800MB`` or a number of bytes, as bytes (for ``--max-memory``)."""
    s = text.strip().upper().removesuffix("B")
    scale = {"K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}.get(s[-1:], 1)
    number = float(s[:-1] if scale != 1 else s)
    if number <= 0:
        raise ValueError(text)
    return int(number * scale)


@dataclass
class LimitExceeded:
    """A job stopped at a limit (or its worker died): ``kind`` is ``timeout``, ``memory`` or ``died``."""

    kind: str
    message: str


def run_limited(fn: Callable, jobs: Sequence, workers: int, limits: Limits) -> Iterator[object]:
    """``fn(job)`` for every job in worker processes; results (or :class:`LimitExceeded`) in job order.

    ``fn`` must be a module-level function and must not raise (it returns its failures).
    """
    pool = _Pool(fn, max(1, min(workers, len(jobs) or 1)), limits)
    try:
        yield from pool.results(jobs)
    finally:
        pool.release()


class _Worker:
    def __init__(self, fn: Callable):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, fn), daemon=True, name="budgetlib-parse")
        self.process.start()
        child.close()
        self.fn = fn
        self.ready = False
        self.job: int | None = None
        self.deadline = 0.0

    def send(self, index: int, job, limits: Limits) -> None:
        """Hand ``job`` over; its time starts now (a new worker's start-up is not counted).

        Raises ``EOFError`` if the worker died before it was ready.
        """
        if not self.ready:
            if not self.conn.poll(STARTUP_SECONDS):
                raise EOFError("worker did not start")
            self.conn.recv()  # "ready": the parser is imported
            self.ready = True
        self.job = index
        # The parent's fault points (budgetlib.faults) go with each job: a reused worker
        # started before a test set them would not see them otherwise.
        self.conn.send((job, limits.max_memory, os.environ.get(faults.ENV)))
        self.deadline = time.monotonic() + limits.timeout

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.process.join(2)
        if self.process.is_alive():
            self.kill()
        self.conn.close()


#: How long a new worker may take to start (import the parser) before it counts as dead.
STARTUP_SECONDS = 120.0

#: Idle workers kept for the next call, by function.
_idle: list[_Worker] = []
_idle_lock = threading.Lock()


def _take_idle(fn: Callable) -> _Worker | None:
    with _idle_lock:
        for worker in _idle:
            if worker.fn is fn and worker.process.is_alive():
                _idle.remove(worker)
                return worker
    return None


def shutdown_workers() -> None:
    """Stop every idle worker (run at exit)."""
    with _idle_lock:
        workers, _idle[:] = list(_idle), []
    for worker in workers:
        worker.stop()


class _Pool:
    def __init__(self, fn: Callable, size: int, limits: Limits):
        self.fn, self.size, self.limits = fn, size, limits
        self.busy: list[_Worker] = []
        self.idle: list[_Worker] = []

    def _new_worker(self) -> _Worker:
        return _take_idle(self.fn) or _Worker(self.fn)

    def results(self, jobs: Sequence) -> Iterator[object]:
        pending = deque(range(len(jobs)))
        done: dict[int, object] = {}
        busy, idle = self.busy, self.idle
        next_out = 0
        while next_out < len(jobs):
            # Keep every worker busy, but run at most a few jobs ahead of the next result due.
            while pending and pending[0] < next_out + 2 * self.size and (idle or len(busy) < self.size):
                worker = idle.pop() if idle else self._new_worker()
                index = pending.popleft()
                try:
                    worker.send(index, jobs[index], self.limits)
                except (EOFError, OSError):
                    worker.kill()
                    done[index] = LimitExceeded("died", self.limits.died_message(worker.process.exitcode))
                    continue
                busy.append(worker)
            if next_out in done:
                yield done.pop(next_out)
                next_out += 1
                continue
            if not busy:  # every job handed out so far has its result: hand out more
                continue
            timeout = max(0.0, min(w.deadline for w in busy) - time.monotonic())
            ready = wait([w.conn for w in busy], timeout=timeout)
            for worker in list(busy):
                if worker.conn in ready:
                    result, healthy = self._receive(worker)
                elif time.monotonic() >= worker.deadline:
                    result, healthy = LimitExceeded("timeout", self.limits.timeout_message()), False
                else:
                    continue
                done[worker.job] = result
                busy.remove(worker)
                if healthy:
                    idle.append(worker)
                else:  # replaced: the next job that needs a worker starts a new one
                    worker.kill()

    def _receive(self, worker: _Worker) -> tuple[object, bool]:
        try:
            status, payload = worker.conn.recv()
        except (EOFError, OSError):  # the worker died: killed, or out of memory outside Python
            worker.process.join(5)
            code = worker.process.exitcode
            return LimitExceeded("died", self.limits.died_message(code)), False
        if status == "memory":
            return LimitExceeded("memory", self.limits.memory_message()), False
        return payload, True

    def release(self) -> None:
        """Keep the idle workers for the next call; stop the ones still busy (an abandoned batch)."""
        for worker in self.busy:
            worker.kill()
        with _idle_lock:
            _idle.extend(w for w in self.idle if w.process.is_alive())
        self.busy, self.idle = [], []


def _worker_main(conn: Connection, fn: Callable) -> None:
    """A worker: take ``(job, max_memory, fault_spec)`` messages until ``None`` or the parent is gone."""
    _die_with_parent()
    baseline = _address_space()
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        if message is None:
            return
        job, max_memory, fault_spec = message
        if fault_spec:
            os.environ[faults.ENV] = fault_spec
        else:
            os.environ.pop(faults.ENV, None)
        try:
            _limit_address_space(baseline + max_memory)
            result = ("ok", fn(job))
        except MemoryError:
            result = ("memory", None)
        finally:
            _limit_address_space(resource.RLIM_INFINITY)
        try:
            conn.send(result)
        except (MemoryError, OSError):
            return
        if result[0] == "memory":
            return  # the heap may be in pieces: the parent starts a fresh worker
        del result
        baseline = max(baseline, _address_space())


def _die_with_parent() -> None:
    """End this worker when its parent ends, even in the middle of a job (a killed ``parse``
    must not leave a worker stuck on a bad document): ``PR_SET_PDEATHSIG`` on Linux, and a
    thread that watches the parent's pid everywhere."""
    parent = os.getppid()
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, 9, 0, 0, 0)  # PR_SET_PDEATHSIG, SIGKILL
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, daemon=True, name="budgetlib-parent-watch").start()
    if os.getppid() != parent:  # pragma: no cover - the parent ended while we started
        os._exit(1)


def _address_space() -> int:
    """This process's virtual memory size in bytes (what ``RLIMIT_AS`` counts)."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:  # pragma: no cover - not Linux
        return 0


def _limit_address_space(limit: int) -> None:
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY and (limit == resource.RLIM_INFINITY or limit > hard):
        limit = hard
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _at_exit() -> None:
    shutdown_workers()


multiprocessing.util.Finalize(None, _at_exit, exitpriority=100)
