"""Where things live. Every default path is resolved here, once.

Defaults are relative to the current directory (the project checkout), and each
can be overridden by an environment variable or a command-line option.
"""
from __future__ import annotations

import os
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
