"""Storing and loading: records in, Parquet files and one DuckDB database out, and back.

``write`` streams contract tables to disk with memory bounded (``TableWriter``) and
moves them into place atomically; ``files`` is the one way any output file is
written atomically (tables, workbooks, HTML, notebooks); ``load`` reads the
processed folder into a read-only :class:`~budgetlib.store.load.Dataset` of polars
frames (pandas on request), in batches of documents for the checks.
"""
