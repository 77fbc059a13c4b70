"""budgetlib: parse, check and report Chinese department budget disclosures."""
from __future__ import annotations

__version__ = "0.1.0"

from budgetlib.errors import BudgetlibError, DataError, ParseError, ReportError  # noqa: E402
from budgetlib.store.load import Dataset, load  # noqa: E402

__all__ = ["BudgetlibError", "DataError", "Dataset", "ParseError", "ReportError", "load", "__version__"]
