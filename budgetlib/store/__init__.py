"""Storing and loading: records in, Parquet files and one DuckDB database out, and back.

``write`` streams contract tables to disk with memory bounded (``TableWriter``),
refuses rows that repeat a key, and makes the tables current as one new generation of
the folder (``generations``), one writer at a time (``lock``); ``files`` is the one way
any output file is written atomically (tables, workbooks, HTML, notebooks); ``load``
reads the current generation into a read-only :class:`~budgetlib.store.load.Dataset`
of polars frames (pandas on request), in batches of documents for the checks.
"""
