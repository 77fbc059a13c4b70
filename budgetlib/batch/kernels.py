"""Warm kernels: run many report notebooks through one long-lived Jupyter kernel.

Starting a kernel and importing pandas, polars and matplotlib costs seconds,
more than a small report's own work. :class:`WarmKernel` starts one kernel,
imports the report library once, and between notebooks puts the kernel back
in the state a fresh kernel has after those imports:

- the user namespace, ``In``/``Out`` and the execution counter (so cells are
  numbered from 1 again),
- matplotlib's rcParams and any pyplot figures,
- the warning filters and the "already shown" registries (a warning shown in
  one department is shown again in the next),
- the working directory, ``os.environ``, ``sys.path`` and the decimal context.

What stays is what the imports built: loaded modules, font caches, compiled
regexes, and on purpose :func:`budgetlib.store.load`'s cache of the processed tables
(read-only, and read again when a file changes), so the kernel reads them once
rather than once per department. Report code keeps no other state in modules
(the notebooks hold no logic, and figures are not pyplot-managed), so a
department run after others gives the same notebook, HTML and workbook as a
fresh kernel; the tests check that.

papermill still drives execution: :class:`WarmEngine` is registered in
papermill's engine registry as ``budgetlib-warm``, so parameters, the error
banner and the executed notebook as log work as with the default engine.
Each thread gets its own kernel (papermill's ``cwd`` is not thread-safe, and
one kernel runs one notebook at a time); kernels use the IPC transport, so
parallel workers never collide on ZMQ ports.
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
import weakref

from papermill.clientwrap import PapermillNotebookClient

ENGINE_NAME = "budgetlib-warm"

#: Modules a report notebook imports in its first cell, imported once per kernel.
WARM_IMPORTS = ("budgetlib.reports.department_report", "budgetlib.reports.comparison_report")


# --- code that runs inside the kernel ----------------------------------------

_baseline: dict = {}


def kernel_warm_up(modules: tuple[str, ...] = WARM_IMPORTS) -> None:
    """Inside the kernel: import ``modules``, load the chart font, remember the state to return to."""
    import decimal
    import importlib
    import sys
    import warnings

    import matplotlib

    for name in modules:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - the notebook's own import then shows the error in its log
            pass
    _baseline.update(
        rc=dict(matplotlib.rcParams),
        warnings=list(warnings.filters),
        cwd=os.getcwd(),
        environ=dict(os.environ),
        path=list(sys.path),
        decimal=decimal.getcontext().copy(),
    )
    try:  # the CJK font is parsed on first use: pay that once, here
        from budgetlib.reports.charts import _figure

        fig, _ = _figure(1, 1)
        fig.savefig(__import__("io").BytesIO(), format="png")
    except Exception:  # noqa: BLE001 - a missing font is reported by the report itself
        pass
    kernel_reset()


def kernel_reset() -> None:
    """Inside the kernel: back to the state just after :func:`kernel_warm_up`."""
    import decimal
    import sys
    import warnings

    import matplotlib
    from IPython import get_ipython

    shell = get_ipython()
    if shell is not None:
        shell.reset(new_session=False)
        shell.execution_count = 1
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
    matplotlib.rcParams.clear()
    dict.update(matplotlib.rcParams, _baseline["rc"])  # the values were validated when first set
    warnings.filters[:] = _baseline["warnings"]
    warnings._filters_mutated()  # forget which warnings were already shown
    os.chdir(_baseline["cwd"])
    os.environ.clear()
    os.environ.update(_baseline["environ"])
    sys.path[:] = _baseline["path"]
    decimal.setcontext(_baseline["decimal"].copy())


# --- the client side ----------------------------------------------------------

_RESET = "__import__('budgetlib.batch.kernels', fromlist=['_']).kernel_reset()"


class KernelError(RuntimeError):
    """The warm kernel could not be started or reset."""


class WarmKernel:
    """One Jupyter kernel kept running and reset between notebooks."""

    def __init__(self, kernel_name: str = "python3", startup_timeout: float = 60, modules: tuple[str, ...] = WARM_IMPORTS):
        self.kernel_name = kernel_name
        self.startup_timeout = startup_timeout
        self.modules = modules
        self.km = None
        self.kc = None
        self.notebooks_run = 0
        self._dir: str | None = None
        self._finalizer = None
        self._pending_reset: str | None = None

    def start(self) -> "WarmKernel":
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        # A short private folder for the IPC sockets (unix socket paths are limited to ~100 bytes).
        self._dir = tempfile.mkdtemp(prefix="bl-kernel-")
        self.km = AsyncKernelManager(kernel_name=self.kernel_name, transport="ipc", ip=os.path.join(self._dir, "k"))
        run_sync(self.km.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"], cwd=os.getcwd())
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=self.startup_timeout)
        except Exception as exc:
            self.shutdown()
            raise KernelError(f"内核启动失败：{exc}") from exc
        self.kc.allow_stdin = False
        self._finalizer = weakref.finalize(self, _shutdown, self.km, self.kc, self._dir)
        self.run_silently(f"__import__('budgetlib.batch.kernels', fromlist=['_']).kernel_warm_up({self.modules!r})")
        return self

    @property
    def is_alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return self.km is not None and bool(run_sync(self.km.is_alive)())

    def run_silently(self, code: str, timeout: float = 120) -> None:
        """Execute ``code`` without output or history; raise :class:`KernelError` if it fails."""
        from jupyter_core.utils import run_sync

        reply = run_sync(self.kc._async_execute_interactive)(
            code, silent=True, store_history=False, timeout=timeout, output_hook=lambda msg: None
        )
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")

    def reset(self) -> None:
        """Back to the fresh state now (waiting for a reset already sent, if any)."""
        if self._pending_reset is None:
            self.run_silently(_RESET)
            return
        from jupyter_core.utils import run_sync

        msg_id, self._pending_reset = self._pending_reset, None
        while True:  # replies to other requests (an earlier notebook's) are skipped
            reply = run_sync(self.kc.get_shell_msg)(timeout=120)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        content = reply["content"]
        if content.get("status") != "ok":
            raise KernelError(f"{content.get('ename')}: {content.get('evalue')}")

    def begin_reset(self) -> None:
        """Send the reset without waiting: the kernel cleans up while the caller writes the last report.

        The kernel runs requests in order, so the next notebook's first cell runs after it.
        """
        if self._pending_reset is None and self.kc is not None:
            self._pending_reset = self.kc.execute(_RESET, silent=True, store_history=False)

    def shutdown(self) -> None:
        if self._finalizer is not None:
            self._finalizer()
        else:
            _shutdown(self.km, self.kc, self._dir)
        self.km = self.kc = None


def _shutdown(km, kc, folder) -> None:
    from jupyter_core.utils import run_sync

    try:
        if kc is not None:
            kc.stop_channels()
        if km is not None and run_sync(km.is_alive)():
            run_sync(km.shutdown_kernel)(now=True)  # nothing in it is worth a graceful exit
    except Exception:  # noqa: BLE001 - best effort at exit; the kernel also exits with its parent
        pass
    finally:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)


# One kernel per thread of this process.
_local = threading.local()
_all: "weakref.WeakSet[WarmKernel]" = weakref.WeakSet()


def thread_kernel(kernel_name: str = "python3", startup_timeout: float = 60) -> WarmKernel:
    """This thread's warm kernel: started on first use, started again if it died."""
    kernel: WarmKernel | None = getattr(_local, "kernel", None)
    if kernel is not None and (kernel.kernel_name != kernel_name or not kernel.is_alive):
        kernel.shutdown()
        kernel = None
    if kernel is None:
        kernel = WarmKernel(kernel_name, startup_timeout).start()
        _local.kernel = kernel
        _all.add(kernel)
    return kernel


def shutdown_kernels() -> None:
    """Stop every warm kernel this process started."""
    for kernel in list(_all):
        kernel.shutdown()
    _local.__dict__.pop("kernel", None)


atexit.register(shutdown_kernels)


def execute_managed_notebook(
    cls, nb_man, kernel_name, log_output=False, stdout_file=None, stderr_file=None,
    start_timeout=60, execution_timeout=None, **kwargs,
):
    from papermill.engines import logger

    kernel = thread_kernel(kernel_name or "python3", start_timeout)
    try:
        kernel.reset()
    except KernelError:  # a kernel that cannot be reset is replaced
        kernel.shutdown()
        _local.kernel = None
        kernel = thread_kernel(kernel_name or "python3", start_timeout)
    client = PapermillNotebookClient(
        nb_man,
        km=kernel.km,
        timeout=execution_timeout,
        startup_timeout=start_timeout,
        kernel_name=kernel_name,
        log=logger,
        log_output=log_output,
        stdout_file=stdout_file,
        stderr_file=stderr_file,
    )
    client.kc = kernel.kc
    kernel.notebooks_run += 1
    try:
        return client.execute()
    finally:
        kernel.begin_reset()


