"""The “三公” table: its internal sums, and its agreement with the economic lines 30217 and 30231.

Rows are recognised by their labels; a row never printed (all cells blank)
falls back to its 序号 in the national layout, so a blank parent can still be
named and located (seed 002's 二、公务用车购置及运维费).
"""
from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from budgetlib.vocab.tables import TABLES_BY_KEY, THREE_PUBLIC_ITEMS, three_public_key
from budgetlib.checks.findings import ZERO, Finding, fmt, severity_of, tail, tolerance
from budgetlib.checks.views import DocView, Ref
from budgetlib.checks.identity import FULL, ITEM, Identity
from budgetlib.checks.registry import DocContext, check

TABLE = "three_public"

#: The national layout prints the declared rows in declaration order, 序号 1…9.
LAYOUT_ROW = {key: no for no, key in enumerate(THREE_PUBLIC_ITEMS, start=1)}

#: parent -> children, from the declaration: 合计 is the sum of the other top-level rows (小计,
#: and 会议费 and 培训费 where a layout prints them inside its 合计); memo rows
#: (机关运行经费) are not part of it, and neither is a printed row the declaration does not know.
PARTS: dict[str, tuple[str, ...]] = {
    "total": tuple(k for k, (_l, p) in THREE_PUBLIC_ITEMS.items() if p is None and k != "total")
}
for _key, (_label, _parent) in THREE_PUBLIC_ITEMS.items():
    if _parent:
        PARTS[_parent] = PARTS.get(_parent, ()) + (_key,)


def layout_rows(view: DocView) -> set[int] | None:
    """序号 of the rows the document's layout of the 三公 table has (None: every national row)."""
    spec = TABLES_BY_KEY[TABLE]
    scheme = view.layouts.get(TABLE)
    layout = spec.layout(scheme) if scheme and hasattr(spec, "layout") else None
    rows = {c.row for c in layout.columns if getattr(c, "row", None)} if layout else set()
    return rows or None


def roles(view: DocView) -> dict[str, int]:
    """Meaning -> 序号: by printed label, else by the national layout when that 序号 is free
    (and the document's layout has that row)."""
    if "three_public.roles" not in view.cache:
        view.cache["three_public.roles"] = _roles(view)
    return view.cache["three_public.roles"]


def _roles(view: DocView) -> dict[str, int]:
    found: dict[str, int] = {}
    rows = view.table_rows(TABLE)
    for row_no in sorted(rows):
        key = three_public_key(rows[row_no].label())
        if key and key not in found:
            found[key] = row_no
    allowed = layout_rows(view)
    for key, row_no in LAYOUT_ROW.items():
        if key in found or row_no in rows or row_no in found.values():
            continue
        if allowed is None or row_no in allowed:
            found[key] = row_no
            view.layout_labels[(TABLE, row_no)] = THREE_PUBLIC_ITEMS[key][0]
    return found


def _children(parent: str, where: dict[str, int]) -> list[str]:
    """The parts of ``parent`` the table has; a part the layout lacks is replaced by its own
    parts (合计 = 出国 + 公务用车 + 接待 where no 小计 row is printed), or left out."""
    found = []
    for child in PARTS.get(parent, ()):
        if child in where:
            found.append(child)
        elif child in PARTS:
            found.extend(_children(child, where))
    return found


@check("three_public.parts", "identities", "“三公”经费各项之和")
def parts(ctx: DocContext) -> Iterator[Identity]:
    """合计 = 小计 (+ 会议费 + 培训费 where printed inside it); 小计 = 因公出国（境） +
    公务用车购置及运维 + 公务接待; 出国 = 教学科研 + 其他; 公务用车 = 购置 + 运行维护. In every
    printed column. Rows come from the layout the document matched: a row it lacks is not a zero."""
    view = ctx.view
    if TABLE not in view.rows:
        return
    where = roles(view)
    for parent in PARTS:
        children = _children(parent, where) if parent in where else []
        if not children:
            continue
        rows = [where[c] for c in children]
        for col in view.printed_cols(TABLE):
            yield Identity(
                "three_public.parts",
                Ref(TABLE, where[parent], col),
                tuple(Ref(TABLE, r, col) for r in rows),
                total_style=FULL,
                addend_style=ITEM,
            )


def _economic(view: DocView, code: str) -> tuple[Ref | None, Decimal | None]:
    """The 公用经费 cell of an economic code in 基本支出表 (合计 where 公用经费 is blank)."""
    table = "gpb_basic_expenditure"
    for row_no, info in view.table_rows(table).items():
        if info.code == code:
            for key in ("public_use", "total"):
                ref = Ref(table, row_no, view.col(table, key))
                if ref in view.cells:
                    return ref, view.cells[ref].value
    return None, None


def _versus(ctx: DocContext, check_id: str, role: str, code: str, name: str) -> Iterator[Finding]:
    view = ctx.view
    if not view.table_rows("gpb_basic_expenditure"):
        return
    where = roles(view) if TABLE in view.rows else LAYOUT_ROW
    # The 一般公共预算 column where the layout has one, else the table's amount column.
    col = next((c for c in (view.columns.get(TABLE, {}).get(k) for k in ("gpb", "total")) if c), None)
    col = col or view.col(TABLE, "gpb") or view.col(TABLE, "total")
    if col is None or where.get(role) is None:
        return
    ours = Ref(TABLE, where.get(role), col)
    three = view.value(ours)
    econ_ref, econ = _economic(view, code)
    if three is None and econ is None:
        return
    printed = (three is not None) + (econ is not None)
    tol = tolerance(printed)
    difference = (three or ZERO) - (econ or ZERO)
    severity = severity_of(difference, tol)
    if severity is None:
        return
    three_text = f"“三公”经费支出表{name}（一般公共预算）{fmt(three)}"
    econ_text = f"基本支出表{code}{name}{fmt(econ)}"
    if severity == "rounding":
        message = f"{three_text}与{econ_text}相差{fmt(abs(difference))}，{tail(severity, tol)}"
    elif difference < 0:
        message = (
            f"{three_text}小于{econ_text}，相差{fmt(-difference)}：仅基本支出就超过“三公”经费支出表所列数，"
            f"请核对“三公”经费支出表第{ours.row_no}行是否漏列或少列"
        )
    else:
        severity = "info"
        message = (
            f"{three_text}大于{econ_text}，相差{fmt(difference)}，差额应由项目支出安排，"
            f"请核对项目支出中的{name}"
        )
    line = view.line(ours) if three is not None else view.line(econ_ref)
    yield Finding(
        doc_id=view.doc_id,
        check=check_id,
        severity=severity,
        message=message,
        table=TABLE,
        row_no=ours.row_no,
        col_no=ours.col_no,
        expected=econ if econ is not None else ZERO,
        actual=three,
        difference=difference,
        tolerance=tol,
        source_line=line,
    )


@check("three_public.vs_economic_30217", "document", "“三公”公务接待费与经济科目30217")
def vs_economic_30217(ctx: DocContext) -> Iterator[Finding]:
    """三公 公务接待费 (一般公共预算 column) against 基本支出表 30217 公务接待费 (公用经费).

    The 三公 table covers basic *and* project spending of the appropriation,
    the economic line only basic spending. So 三公 ≥ 30217 is expected:
    三公 below 30217 (beyond rounding) means the 三公 table leaves out money the
    basic budget itself spends, an ``error``; 三公 above 30217 is the part paid
    from project spending, reported as ``info`` so the auditor can find it in
    the projects; a gap within the rounding bound of the two figures is
    ``rounding``.
    """
    yield from _versus(ctx, "three_public.vs_economic_30217", "reception", "30217", "公务接待费")


@check("three_public.vs_economic_30231", "document", "“三公”公务用车运行维护费与经济科目30231")
def vs_economic_30231(ctx: DocContext) -> Iterator[Finding]:
    """三公 公务用车运行维护费 against 基本支出表 30231 公务用车运行维护费, read as
    :func:`vs_economic_30217`: 三公 below the economic line is an ``error``, above it
    ``info`` (project spending)."""
    yield from _versus(ctx, "three_public.vs_economic_30231", "vehicle_operation", "30231", "公务用车运行维护费")
