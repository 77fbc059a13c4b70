"""The papermill engine ``budgetlib-warm``, registered by the ``papermill.engine`` entry point.

The warm kernels themselves are in :mod:`budgetlib.batch.kernels`.
"""
from __future__ import annotations

import functools


class WarmEngine:
    """The papermill engine ``budgetlib-warm``: execute in this thread's warm kernel, reset first.

    papermill finds it through the ``papermill.engine`` entry point, and loads entry points
    while ``papermill.engines`` is itself being imported; so this module imports nothing of
    papermill (nor :mod:`budgetlib.batch.kernels`, which does) at its top. The engine proper, a subclass of papermill's
    ``NBClientEngine``, is made on first use, and this class hands every call to it.
    """

    @classmethod
    def execute_notebook(cls, *args, **kwargs):
        return _nbclient_engine().execute_notebook(*args, **kwargs)

    @classmethod
    def nb_kernel_name(cls, *args, **kwargs):
        return _nbclient_engine().nb_kernel_name(*args, **kwargs)

    @classmethod
    def nb_language(cls, *args, **kwargs):
        return _nbclient_engine().nb_language(*args, **kwargs)


@functools.cache
def _nbclient_engine():
    from papermill.engines import NBClientEngine

    from budgetlib.batch import kernels

    class WarmNBClientEngine(NBClientEngine):
        execute_managed_notebook = classmethod(kernels.execute_managed_notebook)

    return WarmNBClientEngine
