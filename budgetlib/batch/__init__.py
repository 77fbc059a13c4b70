"""Batch: folders of documents in, a processed folder and a reports folder out.

``pipeline`` is the main job behind the command line (parse, check, report);
``parse_batch`` parses many documents and never stops on a bad one, each document in a
worker under a time and a memory limit (``limits``); ``pools`` starts the other worker
processes; ``runner`` runs the report notebooks for many departments, on local
processes or a Dask cluster, each worker with a warm Jupyter kernel (``kernels``) that
papermill drives through the ``budgetlib-warm`` engine (``warm_engine``, registered by
an entry point), and ``report_output`` makes each report run one generation of the
reports folder.
"""
