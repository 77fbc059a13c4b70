"""Findings as data, the rounding rule, and how figures are written in messages.

A finding is one row of the contract's ``findings`` table. Checks build them;
nothing here raises. The rounding rule lives here, once:

every printed figure is rounded to 0.01 on its own, so a sum of printed
figures may miss its printed total by up to ``n × 0.005`` where ``n`` counts
every printed figure in the comparison (the addends and the total). A gap
within that bound is ``rounding``; beyond it, ``error``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from budgetlib.vocab.contract import SEVERITIES, SEVERITY_LABELS  # noqa: F401 - the checks import them from here

#: Half the printing step of a table figure (万元, two decimals).
HALF_CENT = Decimal("0.005")
CENT = Decimal("0.01")
ZERO = Decimal(0)
#: Places of money in the processed tables (decimal128(18, 6)).
STORED = Decimal("0.000001")


@dataclass(slots=True)
class Finding:
    """One row of the ``findings`` table."""

    doc_id: str
    check: str
    severity: str
    message: str
    table: str | None = None
    row_no: int | None = None
    col_no: int | None = None
    expected: Decimal | None = None
    actual: Decimal | None = None
    difference: Decimal | None = None
    tolerance: Decimal | None = None
    source_line: int | None = None
    #: Stable id (:mod:`budgetlib.checks.finding_ids`), set when the findings are written.
    finding_id: str | None = None

    def record(self) -> dict:
        """The finding as a row of the contract (money at the contract's 6 places: a bound that
        needs more, e.g. half a fen of a table printed in 元, is rounded up, never down)."""
        row = {name: getattr(self, name) for name in _FIELDS}
        for name in ("expected", "actual", "difference"):
            if row[name] is not None:
                row[name] = row[name].quantize(STORED, rounding=ROUND_HALF_UP)
        if row["tolerance"] is not None:
            row["tolerance"] = row["tolerance"].quantize(STORED, rounding=ROUND_CEILING)
        return row

    def sort_key(self) -> tuple:
        return (
            self.doc_id,
            SEVERITIES.index(self.severity),
            self.check,
            self.table or "",
            self.row_no if self.row_no is not None else -1,
            self.col_no if self.col_no is not None else -1,
            self.message,
        )


def tolerance(printed: int, step: Decimal = CENT) -> Decimal:
    """Largest gap independent rounding of ``printed`` figures (each to ``step``) can make."""
    return printed * step / 2


def tolerance_of(steps: Iterable[Decimal]) -> Decimal:
    """Largest gap independent rounding can make between figures printed at ``steps`` (one per
    figure: 0.01 for a table figure, the stated precision for a prose one): half their sum."""
    return sum(steps, ZERO) / 2


def severity_of(difference: Decimal, tol: Decimal) -> str | None:
    """``None`` when exact, ``rounding`` within ``tol``, else ``error``."""
    if difference == 0:
        return None
    return "rounding" if abs(difference) <= tol else "error"


def fmt(value: Decimal | None, step: Decimal = CENT) -> str:
    """A figure as an auditor writes it: two decimals, more only where the value has them.

    A figure printed coarser (prose "552万元", step 1) is written at its own step.
    """
    if value is None:
        return "空白"
    if step > CENT:
        places = min(step.normalize().as_tuple().exponent, 0)
        coarse = value.quantize(Decimal(1).scaleb(places))
        if coarse == value:
            return f"{coarse:f}"
    cents = value.quantize(CENT)
    if cents == value:
        return f"{cents:f}"
    return f"{value.normalize():f}"


def tail(severity: str, tol: Decimal) -> str:
    """The closing clause of an arithmetic message."""
    if severity == "rounding":
        return f"在四舍五入误差范围内（±{fmt(tol)}）"
    return f"超出四舍五入误差范围（±{fmt(tol)}），请核对"


_FIELDS = tuple(f.name for f in fields(Finding))
