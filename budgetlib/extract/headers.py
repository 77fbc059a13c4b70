"""Tables printed without 栏次 and 序号: columns mapped by header text, rows numbered in printed order.

Shanghai, Jiangsu and the 决算 format print no 栏次 row and no 序号 column. Such a
table is recognised by its header: the header rows run from the title to the
first row that looks like data (a number, or a 合计 label). Each printed column
gets its header text, read down the header rows through merged cells, and the
layouts declared in :mod:`budgetlib.vocab.tables` for the table's title are tried: a
layout fits when it has as many columns as the table and every declared column
finds its label (or an alias) in its own header text. When none fits, each column
is mapped on its own by the concept vocabulary of :mod:`budgetlib.vocab.concepts`
(:func:`vocabulary_layout`), the figures deciding a column the words leave in
doubt. Codes printed over 类/款/项 columns are joined into one code.

The rows are then normalised to the shape a 栏次 table has (序号 first, then the
columns in 栏次 order), so :func:`budgetlib.extract.recognise.line_items` reads both alike:

* ``row_no`` is the printed order of the data rows (blank rows not counted);
  a two-panel table (决算 基本支出表) is read down the left panel, then the right;
* a transposed table (the 三公 table printed as one row, items as columns)
  becomes one row per item, numbered as the item's row of the national layout.
"""
from __future__ import annotations

import re
from decimal import Decimal

from budgetlib.errors import TableError
from budgetlib.vocab.money import is_blank, parse_amount
from budgetlib.read.rows import Cell, Row
from budgetlib.vocab.tables import Column, Layout, TableSpec, fund_column
from budgetlib.vocab.concepts import CONCEPTS, CONCEPTS_BY_KEY, TOTAL_WORDS, declared_columns
from budgetlib.vocab.labels import DATA_START_TOTALS, YEAR_TOTALS
from budgetlib.vocab.text import canon

_CODE_PARTS = ("类", "款", "项")
_CODE = re.compile(r"^\d+$")
_EMPTY_NOTE = re.compile(r"^注|此表为空|本表为空|空表")


def is_data_like(row: Row) -> bool:
    """A table row that prints a number, or whose first cell is a total label: the header is over."""
    texts = [canon(t) for t in row.texts]
    numbers = [parse_amount(t) is not None for t in texts if t and not is_blank(t)]
    if texts and texts[0] in DATA_START_TOTALS and all(numbers[1:]):
        return True  # a 合计 row, printed or empty (a header row has more words beside 合计)
    return any(numbers)


#: The label of a table's rows: an ordinal (一、, 1.), 其中, a subject code, or "…".
_ROW_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|\d{1,2}[、.]|其中|\d{3,}|…+)")


def starts_rows(row: Row) -> bool:
    """A row of a blank table whose first text labels a row (一、…, a code, 合计, …): the header is over."""
    texts = [canon(t) for t in row.texts if canon(t)]
    if not texts:
        return False
    if _ROW_LABEL.match(texts[0]):
        return True
    # 合计 starts the rows only when nothing but labels of rows stands beside it (a header
    # row may start with 合计 and go on with the other columns' names).
    return all(_ROW_LABEL.match(t) or t in DATA_START_TOTALS or t in YEAR_TOTALS for t in texts)


def is_note(text: str) -> bool:
    """A note under a table (注：…, 此表为空): it ends the table."""
    text = canon(text)
    return bool(text) and bool(_EMPTY_NOTE.search(text)) and parse_amount(text) is None


def is_note_row(row: Row) -> bool:
    """A table row whose first text is a note."""
    return is_note(next((t for t in row.texts if canon(t)), ""))


def split_code_runs(rows: list[Row]) -> list[tuple[int, int]]:
    """Positions ``(start, length)`` where a code is printed over 类/款(/项) columns."""
    for row in rows:
        texts = [canon(t) for t in row.texts]
        runs = []
        j = 0
        while j < len(texts):
            if texts[j] == _CODE_PARTS[0]:
                n = 1
                while n < 3 and j + n < len(texts) and texts[j + n] == _CODE_PARTS[n]:
                    n += 1
                if n >= 2:
                    runs.append((j, n))
                    j += n
                    continue
            j += 1
        if runs:
            return runs
    return []


def join_runs(row: Row, runs: list[tuple[int, int]]) -> Row:
    """The row with each split code joined into one cell (``201 | 13 | 01`` -> ``2011301``)."""
    if not runs:
        return row
    cells: list[Cell] = []
    j = 0
    for start, length in runs:
        cells += row.cells[j:start]
        parts = row.cells[start : start + length]
        if parts:
            text = "".join(c.text.replace(" ", "") for c in parts)
            cells.append(Cell(text, parts[0].line, "" if text else parts[0].merged_from))
        j = start + length
    cells += row.cells[j:]
    return Row(tuple(cells), row.is_table)


def header_stacks(header_rows: list[Row], runs: list[tuple[int, int]]) -> list[str]:
    """The header text of each printed column, read down the header rows through merged cells."""
    width = max((len(r.cells) for r in header_rows), default=0)

    def resolve(r: int, j: int) -> str:
        while True:
            cells = header_rows[r].cells
            if j >= len(cells):
                return ""
            cell = cells[j]
            if cell.merged_from == "left" and j > 0:
                j -= 1
            elif cell.merged_from == "up" and r > 0:
                r -= 1
            else:
                return cell.text

    raw = []
    for j in range(width):
        parts: list[str] = []
        for r in range(len(header_rows)):
            text = canon(resolve(r, j))
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        raw.append(parts)
    stacks: list[str] = []
    j = 0
    for start, length in runs:
        stacks += ["".join(p) for p in raw[j:start]]
        parts = []
        for p in raw[start : start + length]:
            parts += [t for t in p if t not in parts]
        stacks.append("".join(parts))
        j = start + length
    stacks += ["".join(p) for p in raw[j:]]
    while stacks and not stacks[-1]:
        stacks.pop()
    return stacks


def choose_layout(specs: tuple[TableSpec, ...], stacks: list[str], prefer: str | None) -> tuple[TableSpec, Layout] | None:
    """The first declared layout that fits the header (one of the ``prefer`` scheme first)."""
    fits = []
    for spec in specs:
        for layout in spec.layouts:
            if layout.lanci:
                continue
            n = len(layout.columns)
            if n * layout.panels != len(stacks):
                continue
            if all(_fits(layout.columns, pos, stacks[p * n + pos]) for p in range(layout.panels) for pos in range(n)):
                fits.append((spec, layout))
    for fit in fits:
        if fit[1].scheme == prefer:
            return fit
    return fits[0] if fits else None


# -- mapping by vocabulary ------------------------------------------------------------------------


#: ``document_tables.layout`` of a table whose columns were mapped one by one by their header text.
VOCABULARY = "vocabulary"


def vocabulary_layout(
    specs: tuple[TableSpec, ...], stacks: list[str], rows: list[Row] = ()
) -> tuple[TableSpec, Layout] | None:
    """A layout built column by column from what each header says (:mod:`budgetlib.vocab.concepts`).

    Each printed column becomes the column the table declares for its concept (same 栏次 and
    key as in the declared layouts), or a column numbered after the declared ones for a concept
    the table does not declare (a unit budget's 人员经费 and 公用经费 under 基本支出). The
    columns may come in any order and any subset; the first title candidate whose columns
    are all told, each once, with at least one amount, is taken.

    Where the words leave one amount column in doubt (no concept, or one already taken), the
    figures decide (``rows``, the data rows as printed): it is the table's 合计 when it is the
    sum of the other amounts in every row, or the one part the 合计 misses."""
    for spec in specs:
        declared = declared_columns(spec)
        if not declared or not stacks:
            continue
        base = max(c.no for c in declared.values())
        columns: list[Column | None] = []
        for stack in stacks:
            side = next((c.no for c in reversed(columns) if c is not None and c.kind == "label"), None)
            col = _column_for(stack, declared, base, side)
            if col is not None and any(c is not None and c.key == col.key for c in columns):
                col = None  # the concept is taken: in doubt
            if col is not None and col.kind == "amount" and col.key not in declared:
                col = Column(col.no, col.key, col.label, col.kind, col.aliases, item_from=side)
            columns.append(col)
        doubt = [pos for pos, c in enumerate(columns) if c is None]
        if len(doubt) == 1 and rows:
            columns[doubt[0]] = _by_arithmetic(doubt[0], columns, declared, rows)
        if all(c is not None for c in columns):
            keys = [c.key for c in columns]
            kinds = {c.kind for c in columns}
            if len(set(keys)) != len(keys) or "amount" not in kinds:
                continue
            if spec.subject and not kinds & {"code", "label"}:
                continue
            return spec, Layout(VOCABULARY, tuple(columns))
    return None


#: The most two printed sums may differ by and still agree: each figure is rounded to 0.01.
_HALF_CENT = Decimal("0.005")


def _by_arithmetic(pos: int, columns: list[Column | None], declared: dict[str, Column], rows: list[Row]) -> Column | None:
    """The declared amount column that the figures make of printed column ``pos``: 合计 when it
    is the sum of the other amounts in every row, or the one missing part when the 合计 is
    the sum of the parts with it. None when no figure decides, or more than one column fits."""
    taken = {c.key for c in columns if c is not None}
    candidates = [c for c in declared.values() if c.kind == "amount" and c.key not in taken]
    amounts = [p for p, c in enumerate(columns) if c is not None and c.kind == "amount"]
    total = next((p for p in amounts if columns[p].key == "total"), None)

    def value(row: Row, p: int) -> Decimal:
        text = row.texts[p] if p < len(row.texts) else ""
        return Decimal(0) if is_blank(text) else (parse_amount(text) or Decimal(0))

    def holds(as_total: bool) -> bool:
        decided = False
        for row in rows:
            if pos >= len(row.texts) or is_blank(row.texts[pos]) or parse_amount(row.texts[pos]) is None:
                continue
            if as_total:
                whole, parts = value(row, pos), [value(row, p) for p in amounts]
            else:
                whole, parts = value(row, total), [value(row, p) for p in amounts if p != total] + [value(row, pos)]
            if abs(whole - sum(parts)) > _HALF_CENT * len(parts):
                return False
            decided = decided or whole != 0
        return decided

    fits = []
    for col in candidates:
        if col.key == "total" and total is None and len(amounts) >= 2 and holds(True):
            fits.append(col)
        elif col.key != "total" and total is not None and holds(False):
            fits.append(col)
    return fits[0] if len(fits) == 1 else None


def _match_end(stack: str, name: str) -> int:
    """Where ``name`` (``"A…B"``: A, then later B) ends in the header text, -1 when absent."""
    at = 0
    for part in (canon(p) for p in name.split("…")):
        found = stack.find(part, at)
        if found < 0:
            return -1
        at = found + len(part)
    return at


def _column_for(stack: str, declared: dict[str, Column], base: int, side: int | None) -> Column | None:
    """The column one printed header names: the concept named lowest in the header (a bare
    合计 under a named column is that column's whole); on a tie the longer name, then the
    column whose rows are named by the label column printed to its left (``side``: 预算数
    under 支出 is the expenditure's), then a declared column."""
    if not stack:
        return None
    found: list[tuple[int, int, int, int, Column, bool]] = []  # (end, length, side, declared, column, total word)
    for col in declared.values():
        concept = CONCEPTS_BY_KEY.get(col.key)
        names = (col.label, *col.aliases) + (concept.names if concept else ())
        on_side = int(side is not None and col.item_from == side)
        for name in names:
            end = _match_end(stack, name)
            if end >= 0:
                found.append((end, len(name.replace("…", "")), on_side, 1, col, name in TOTAL_WORDS))
    for index, concept in enumerate(CONCEPTS):
        if concept.key in declared:
            continue
        col = Column(base + 1 + index, concept.key, concept.label, concept.kind, concept.aliases)  # as concept_column
        for name in concept.names:
            end = _match_end(stack, name)
            if end >= 0:
                found.append((end, len(name.replace("…", "")), 0, 0, col, name in TOTAL_WORDS))
    if not found:
        return None
    found.sort(key=lambda f: f[:4], reverse=True)
    best = found[0]
    if best[5]:
        # 本年支出预算数 / 合计: the named column above the total word, when there is one.
        start = best[0] - best[1]
        named = [f for f in found if not f[5] and f[0] <= start]
        if named:
            return named[0][4]
    return best[4]


def _fits(columns: tuple[Column, ...], pos: int, stack: str) -> bool:
    """A column fits its header text; a label column with no header text of its own fits
    after another label column (one header over both, its merge lost in text extraction)."""
    if not stack:
        return columns[pos].kind == "label" and pos > 0 and columns[pos - 1].kind == "label"
    return columns[pos].matches(stack)


# -- normalising the data rows ------------------------------------------------------------------


def normalize(
    rows: list[Row], layout: Layout, runs: list[tuple[int, int]], spec: TableSpec, file: str
) -> tuple[dict[int, Column], list[Row]]:
    """Columns and data rows of a header-mapped table, in the shape of a 栏次 table."""
    joined = [join_runs(r, runs) for r in rows]
    n = len(layout.columns)
    for row in joined:
        extra = [c for c in row.cells[n * layout.panels :] if c.text]
        if extra:
            raise TableError(
                f"“{spec.name}”有一行的栏数多于表头（{n * layout.panels}栏）：“{extra[0].text}”",
                file=file,
                line=extra[0].line,
            )
    if layout.transposed:
        return _transposed(joined, layout, spec, file)
    order = sorted(layout.columns, key=lambda c: c.no)
    out: list[Row] = []
    for panel in range(layout.panels):
        above: list[Cell] | None = None
        for row in joined:
            cells = _panel_cells(row, panel, layout)
            if not any(c.text for c in cells):
                continue
            cells = _resolve_labels(cells, layout.columns, above)
            above = cells
            by_no = {col.no: cell for col, cell in zip(layout.columns, cells)}
            no = len(out) + 1
            out.append(Row((Cell(str(no), row.line),) + tuple(by_no[c.no] for c in order), True))
    return {c.no: c for c in layout.columns}, out


def _panel_cells(row: Row, panel: int, layout: Layout) -> list[Cell]:
    n = len(layout.columns)
    cells = list(row.cells[panel * n : (panel + 1) * n])
    line = row.line
    return cells + [Cell("", line)] * (n - len(cells))


def _resolve_labels(cells: list[Cell], columns: tuple[Column, ...], above: list[Cell] | None) -> list[Cell]:
    """Merged label cells take the text of the cell they belong to; a code that is not a code
    (``合计`` spanning the code and name columns) moves to the name."""
    out: list[Cell] = []
    for pos, (col, cell) in enumerate(zip(columns, cells)):
        text = cell.text
        if col.kind == "label" and cell.merged_from == "left":
            owner = pos
            while owner > 0 and cells[owner].merged_from == "left":
                owner -= 1
            text = cells[owner].text if owner < pos and columns[owner].kind != "amount" else ""
        elif col.kind == "label" and cell.merged_from == "up" and above is not None:
            text = above[pos].text
        out.append(Cell(text, cell.line, "", cell.ink))
    for pos, col in enumerate(columns):
        if col.kind != "code":
            continue
        code = out[pos].text.replace(" ", "")
        if code and not _CODE.match(code):
            label = next((p for p in range(pos + 1, len(columns)) if columns[p].kind == "label"), None)
            if label is not None and not out[label].text and set(code) - set(_CODE_PARTS):
                out[label] = Cell(code, out[label].line)
            code = ""
        out[pos] = Cell(code, out[pos].line)
    return out


def _transposed(rows: list[Row], layout: Layout, spec: TableSpec, file: str) -> tuple[dict[int, Column], list[Row]]:
    """One row per item of a table printed with its items as columns."""
    printed = [r for r in rows if any(c.text and not is_blank(c.text) for c in r.cells)]
    if len(printed) > 1:
        raise TableError(
            f"“{spec.name}”按列列示各项目，应只有一行数据，实有{len(printed)}行",
            file=file,
            line=printed[1].line,
        )
    funds = sorted({c.no: fund_column(c) for c in layout.columns}.values(), key=lambda c: c.no)
    item = Column(1, "item", "项目", "label")
    values: dict[int, dict[int, Cell]] = {}
    labels: dict[int, str] = {}
    line = printed[0].line if printed else (rows[0].line if rows else 0)
    for pos, col in enumerate(layout.columns):
        labels.setdefault(col.row, col.label)
        cell = printed[0].cells[pos] if printed and pos < len(printed[0].cells) else None
        if cell is not None and cell.text:
            values.setdefault(col.row, {})[col.no] = Cell(cell.text, cell.line, "", cell.ink)
    out = []
    for row_no in sorted(labels):
        cells = [Cell(str(row_no), line), Cell(labels[row_no], line)]
        cells += [values.get(row_no, {}).get(f.no, Cell("", line)) for f in funds]
        out.append(Row(tuple(cells), True))
    return {item.no: item, **{f.no: f for f in funds}}, out
