"""The project's exception tree.

Everything budgetlib raises on purpose derives from :class:`BudgetlibError`, so a
batch run can catch one family, name the file and line, and carry on, and the
command line never shows a built-in ``ValueError`` or a traceback::

    BudgetlibError
    ├── ParseError        a document could not be read (file, line, reason)
    │   └── TableError    one table was found but could not be mapped (the document is still read)
    ├── DataError         processed tables missing or not as the contract says
    ├── ReportError       a report could not be produced
    │   └── FontNotFoundError (budgetlib.reports.fonts)
    └── DeclarationError  budgetlib's own declarations disagree (a bug)
"""
from __future__ import annotations


class BudgetlibError(Exception):
    """Base of every error budgetlib raises on purpose."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None):
        self.message = message
        self.file = file
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}: " if self.line else f"{self.file}: "
        return f"{where}{self.message}"


class ParseError(BudgetlibError):
    """A document could not be read or its tables could not be understood."""


class TableError(ParseError):
    """One table was found (by its title) but its columns or rows could not be mapped.

    Table recognition catches it: the table is kept as ``document_tables.status =
    "unmapped"`` with the message as ``reason``, and the rest of the document is read.
    """


class DataError(BudgetlibError):
    """Processed data is missing or not what the contract promises."""


class ReportError(BudgetlibError):
    """A report could not be produced (also: a report table or workbook given data it cannot show)."""


class DeclarationError(BudgetlibError):
    """budgetlib's own declarations disagree (a check registered twice, an unknown kind): a bug to report."""
