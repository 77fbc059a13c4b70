"""Where things live. Every default path is resolved here, once.

Defaults are relative to the current directory (the project checkout), and each
can be overridden by an environment variable or a command-line option.
"""
from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path


def _env_path(name: str, default: str) -> Path:
    return Path(os.environ.get(name, default))


def raw_dir() -> Path:
    """Source documents; budgetlib never writes here."""
    return _env_path("BUDGETLIB_RAW", "data/raw")


def processed_dir() -> Path:
    """Parquet files and ``budget.duckdb``."""
    return _env_path("BUDGETLIB_DATA", "data/processed")


def reports_dir() -> Path:
    return _env_path("BUDGETLIB_REPORTS", "reports")


DUCKDB_NAME = "budget.duckdb"

#: File endings of the documents ``parse`` reads from a folder (the type itself is sniffed
#: from the bytes, so a mislabelled file is still read as what it is). ``.doc`` is listed so
#: that an old Word file is reported (save it as .docx) rather than silently left out.
DOCUMENT_SUFFIXES = (".txt", ".md", ".text", ".pdf", ".docx", ".xlsx", ".xls", ".doc")


def cores() -> int:
    """CPU cores this process may use (its affinity mask, e.g. a container's CPU set)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


#: ``budget_vs_final.deviation``: a 决算 line this far from its 年初预算 (a share of it) is listed.
EXECUTION_THRESHOLD = "BUDGETLIB_EXECUTION_THRESHOLD"


def execution_threshold() -> Decimal:
    """How far a final-accounts figure may be from its 年初预算 before the checks list it
    (0.10: 10%); ``BUDGETLIB_EXECUTION_THRESHOLD`` or ``--execution-threshold`` moves it."""
    try:
        return Decimal(os.environ.get(EXECUTION_THRESHOLD, "0.10"))
    except ArithmeticError:
        return Decimal("0.10")
