"""Arithmetic identities (total = Σ parts): evaluate them exactly, then locate the faulty cell.

Checks of the footing, row, summary, cross-table, 三公, prose, procurement and
asset families do not compare numbers themselves: they declare :class:`Identity`
objects (which printed cell should equal the sum of which others).
:func:`identity_findings` evaluates them all with the one rounding rule and
turns broken ones into findings.

**Rounding.** Each printed figure may be off by half its printing step (0.005
for a table figure in 万元), so the bound of an identity is the sum of the half
steps of its printed figures: n × 0.005 for n table figures. Within it the gap
is ``rounding``, beyond it ``error``. A prose figure printed coarser than 0.01
("552万元") is a rounded restatement: within the bound it is no finding at all.

**Blank cells.** A blank operand is read as 0 when the identity is evaluated,
and it does not count towards ``n`` (it was not printed). Whether the 0 is
*confirmed* is decided by the other identities the cell takes part in: see
locating, below. An identity whose cells are all blank is not evaluated.

**Locating the faulty cell.** One wrong figure breaks every identity it takes
part in: a leaf of a function table breaks its row (合计 = 基本 + 项目) and its
column (款 = Σ 项); a blank parent whose children sum to 0.16 breaks its own
identity and the 小计 above it. When one cell is an operand of two or more
broken identities and a single corrected value of that cell would repair them
all (within rounding), the broken identities are reported once, at that cell,
with that value as ``expected``. Otherwise each broken identity is reported at
its total. The merged finding keeps the check id of the identity in which the
cell is the total (its own breakdown), else the first in registry order, and
its message names every identity it breaks.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from budgetlib.vocab.tables import TABLES_BY_KEY
from budgetlib.checks.other_figures import PROSE, describe_extra
from budgetlib.checks.findings import CENT, ZERO, Finding, fmt, severity_of, tail, tolerance_of
from budgetlib.checks.views import DocView, Ref, column_of

#: How an operand is named in a message: which parts of its address to show.
TABLE, ROW, ITEM, COL = 1, 2, 4, 8
CELL = TABLE | ROW | COL
FULL = TABLE | ROW | ITEM | COL


@dataclass(slots=True)
class Identity:
    """``total`` should equal the sum of ``addends`` (each a cell, possibly blank)."""

    check: str
    total: Ref
    addends: tuple[Ref, ...]
    #: How to name the total and the addends in the message (bit sets of TABLE/ROW/ITEM/COL).
    total_style: int = CELL
    addend_style: int = COL
    #: Said in the message when the other side is not printed at all (e.g. no matching row).
    note: str = ""


@dataclass(slots=True)
class Result:
    identity: Identity
    actual: Decimal | None
    expected: Decimal
    difference: Decimal
    tolerance: Decimal
    severity: str


def evaluate(view: DocView, identities: list[Identity]) -> list[Result]:
    """The identities that do not hold exactly, with their severity.

    The bound is half the printing step of every printed operand (n × 0.005 for
    table figures in 万元). A gap within it is ``rounding``, except where a prose
    figure printed coarser than 0.01 takes part: then the prose is a rounded
    restatement (552万元 for 552.18) and the gap is no finding at all.
    """
    results = []
    cells = view.cells
    for ident in identities:
        total = cells.get(ident.total)
        expected = ZERO
        steps: list[Decimal] = []
        for ref in ident.addends:
            cell = cells.get(ref)
            if cell is not None:
                expected += cell.value
                steps.append(cell.step)
        if total is None and not steps:
            continue
        actual = None
        if total is not None:
            actual = total.value
            steps.append(total.step)
        difference = (actual if actual is not None else ZERO) - expected
        if difference == 0:
            continue
        tol = tolerance_of(steps)
        severity = severity_of(difference, tol)
        if severity == "rounding" and any(step > CENT for step in steps):
            continue
        results.append(Result(ident, actual, expected, difference, tol, severity))
    return results


# -- naming cells ------------------------------------------------------------------------------


def describe(view: DocView, ref: Ref, style: int) -> str:
    spec = TABLES_BY_KEY.get(ref.table)
    if spec is None:
        return describe_extra(view, ref, bool(style & TABLE))
    parts = []
    if style & TABLE:
        parts.append(spec.name)
    if style & ROW and ref.row_no is not None:
        parts.append(f"第{ref.row_no}行")
    column = column_of(ref.table, ref.col_no)
    col_label = column.label if column else f"第{ref.col_no}栏"
    if style & ITEM:
        info = view.table_rows(ref.table).get(ref.row_no) if ref.row_no is not None else None
        label = f"{info.code or '' if info else ''}{view.label(ref.table, ref.row_no, ref.col_no)}"
        if label and not (style & COL and label == col_label):
            parts.append(label if "“" in label or not parts else f"“{label}”")
    if style & COL and not (style & ITEM and column and _names_its_row(spec, column)):
        parts.append(col_label)
    return "".join(parts)


def _fmt(view: DocView, ref: Ref, value: Decimal | None) -> str:
    cell = view.cells.get(ref)
    return fmt(value, cell.step if cell else CENT)


def _names_its_row(spec, column) -> bool:
    """True when the row label alone names the cell (the one amount column of its side)."""
    if not column.item_from:
        return False
    return sum(1 for c in spec.amount_columns() if c.item_from == column.item_from) == 1


def _sum_text(view: DocView, ident: Identity, style: int, expected: Decimal) -> str:
    printed = [(ref, view.value(ref)) for ref in ident.addends if view.value(ref) is not None]
    if not printed and len(ident.addends) == 1:
        return f"{describe(view, ident.addends[0], style)}空白"
    if not printed:
        return "各组成项均空白" if ident.addends else "无对应数"
    if len(printed) > 8:
        rows = "、".join(str(r.row_no) for r, _ in printed[:6])
        text = f"第{rows}行等{len(printed)}项之和"
    else:
        text = "+".join(f"{describe(view, ref, style)}{_fmt(view, ref, v)}" for ref, v in printed)
    return text if len(printed) == 1 else f"{text}={fmt(expected)}"


def _comparison(view: DocView, res: Result, home: str | None = None) -> str:
    """``<total><actual>与<a>+<b>=<expected>``; the table name left out for cells of ``home``."""
    ident = res.identity
    total_style = ident.total_style & ~TABLE if ident.total.table == home else ident.total_style
    addend_style = ident.addend_style
    if home and all(r.table == home for r in ident.addends):
        addend_style &= ~TABLE
    total = describe(view, ident.total, total_style)
    note = f"（{ident.note}）" if ident.note else ""
    return f"{total}{_fmt(view, ident.total, res.actual)}与{_sum_text(view, ident, addend_style, res.expected)}{note}"


def single_message(view: DocView, res: Result) -> str:
    return f"{_comparison(view, res)}相差{fmt(abs(res.difference))}，{tail(res.severity, res.tolerance)}"


# -- from results to findings ------------------------------------------------------------------


def _source_line(view: DocView, ref: Ref, ident: Identity) -> int | None:
    """The cell's own line; for a blank cell, its row's, else the first printed operand's."""
    line = view.line(ref)
    if line is None:
        line = view.row_line(ref.table, ref.row_no)
    if line is None:
        for other in (ident.total, *ident.addends):
            if (line := view.line(other)) is not None:
                break
    return line


def _place(view: DocView, ref: Ref, ident: Identity) -> tuple[Ref, int | None]:
    """Where a finding points: the cell, and the source line to look at.

    A finding that involves a prose figure points at the table figure the prose
    restates (table, 序号, 栏次) and at the prose line, which is what to read.
    """
    operands = (ident.total, *ident.addends)
    prose = [r for r in operands if r.table == PROSE]
    if ref.table == PROSE:
        table_ref = next((r for r in operands if r.table != PROSE), None)
        return (table_ref or Ref(PROSE, None, None)), view.line(ref)
    if prose and ref == ident.total:
        return ref, view.line(prose[0])
    return ref, _source_line(view, ref, ident)


def _finding(view: DocView, res: Result) -> Finding:
    ident = res.identity
    where, line = _place(view, ident.total, ident)
    return Finding(
        doc_id=view.doc_id,
        check=ident.check,
        severity=res.severity,
        message=single_message(view, res),
        table=where.table,
        row_no=where.row_no,
        col_no=where.col_no,
        expected=res.expected,
        actual=res.actual,
        difference=res.difference,
        tolerance=res.tolerance,
        source_line=line,
    )


def _implied(view: DocView, res: Result, ref: Ref) -> Decimal:
    """The value of ``ref`` that would make this identity hold exactly."""
    if ref == res.identity.total:
        return res.expected
    return (view.value(ref) or ZERO) + res.difference


def identity_findings(view: DocView, identities: list[Identity], order: dict[str, int]) -> list[Finding]:
    """Evaluate ``identities`` and report what is broken, faulty cells located where possible."""
    results = evaluate(view, identities)
    errors = [r for r in results if r.severity == "error"]
    findings = [_finding(view, r) for r in results if r.severity != "error"]
    by_cell: dict[Ref, list[int]] = defaultdict(list)
    for i, res in enumerate(errors):
        for ref in dict.fromkeys((res.identity.total, *res.identity.addends)):
            if ref.row_no is not None:
                by_cell[ref].append(i)
    candidates = sorted(
        (ref for ref, idx in by_cell.items() if len(idx) >= 2),
        key=lambda ref: (-len(by_cell[ref]), ref.table, ref.row_no, ref.col_no),
    )
    used: set[int] = set()
    for ref in candidates:
        idx = [i for i in by_cell[ref] if i not in used]
        if len(idx) < 2:
            continue
        implied = [_implied(view, errors[i], ref) for i in idx]
        if max(implied) - min(implied) > max(errors[i].tolerance for i in idx):
            continue
        used.update(idx)
        findings.append(_located(view, ref, [errors[i] for i in idx], order))
    findings += [_finding(view, r) for i, r in enumerate(errors) if i not in used]
    return findings


def _located(view: DocView, ref: Ref, results: list[Result], order: dict[str, int]) -> Finding:
    own = [r for r in results if r.identity.total == ref]
    primary = min(own or results, key=lambda r: order.get(r.identity.check, len(order)))
    expected = _implied(view, primary, ref)
    actual = view.value(ref)
    difference = (actual if actual is not None else ZERO) - expected
    where = describe(view, ref, FULL)
    broken = "；".join(_comparison(view, r, home=ref.table) for r in results)
    head = (
        f"{where}{_fmt(view, ref, actual)}使{len(results)}项勾稽关系不成立（{broken}），"
        f"按这些关系此格应为{fmt(expected)}，相差{fmt(abs(difference))}"
    )
    place, line = (ref, _source_line(view, ref, primary.identity)) if ref.table != PROSE else _place(view, ref, primary.identity)
    return Finding(
        doc_id=view.doc_id,
        check=primary.identity.check,
        severity="error",
        message=f"{head}，最可能是此格有误（或漏填），请核对",
        table=place.table,
        row_no=place.row_no,
        col_no=place.col_no,
        expected=expected,
        actual=actual,
        difference=difference,
        tolerance=primary.tolerance,
        source_line=line,
    )
