"""Ruled tables from a page's rulings: edges, their crossings, cells, tables and the text of each cell.

The lattice method of pdfplumber (after Nurminen's thesis and Tabula), kept
step for step so the tables found are the same, with the quadratic searches
replaced by lookups:

1. every rectangle gives its four sides, every line itself, every polyline its
   axis-parallel segments (:func:`edges`); segments shorter than 1 pt are dropped;
2. edges within 3 pt of one line are snapped to their mean position and those
   that touch or overlap along that line (3 pt) joined; edges shorter than 3 pt
   are dropped;
3. a vertical and a horizontal edge that meet (3 pt) make a crossing;
4. each crossing starts the smallest cell whose four corners are crossings joined
   by edges; cells sharing a corner make one table (tables of one cell are none).

Characters are the tuples of :func:`budgetlib.read.pdf_objects.page_chars`. A cell's
text is the characters whose centre falls inside it, read as lines
(3 pt) and words (3 pt gap), lines joined by newlines, words by spaces.
"""
from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from operator import itemgetter

from budgetlib.read.pdf_objects import BOTTOM, TEXT, TOP, UPRIGHT, X0, X1

SNAP = 3.0
JOIN = 3.0
MIN_LENGTH = 3.0
MIN_LENGTH_PREFILTER = 1.0
CROSSING = 3.0
#: Characters closer than this (pt) to the previous one continue its word; lines within it are one.
X_TOLERANCE = 3.0
Y_TOLERANCE = 3.0

Box = tuple[float, float, float, float]


# -- edges ------------------------------------------------------------------------------------


def edges(rects: list[Box], lines: list[Box], curves: list[tuple]) -> tuple[list[Box], list[Box]]:
    """``(vertical, horizontal)`` edges of the rulings, each ``(x0, top, x1, bottom)``: lines (horizontal
    when flat, else vertical), the four sides of each rectangle, the axis-parallel segments of polylines."""
    vertical: list[Box] = []
    horizontal: list[Box] = []
    for line in lines:
        (horizontal if line[1] == line[3] else vertical).append(line)
    add_v, add_h = vertical.append, horizontal.append
    for x0, top, x1, bottom in rects:
        add_h((x0, top, x1, top))
        add_h((x0, bottom, x1, bottom))
        add_v((x0, top, x0, bottom))
        add_v((x1, top, x1, bottom))
    for curve in curves:
        pts = curve[4]
        for (ax, ay), (bx, by) in zip(pts, pts[1:]):
            edge = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            if ax == bx:
                add_v(edge)
            elif ay == by:
                add_h(edge)
    return vertical, horizontal


def _cluster(values: list[float], tolerance: float) -> dict[float, int]:
    """Each distinct value's cluster: sorted values chained while each is within ``tolerance`` of the last."""
    index: dict[float, int] = {}
    cluster, last = -1, None
    for value in sorted(set(values)):
        if last is None or value > last + tolerance:
            cluster += 1
        index[value] = cluster
        last = value
    return index


def _snap(group: list[Box], at: int) -> list[Box]:
    """Edges whose position (``x0`` of vertical, ``top`` of horizontal edges: index ``at``) is within
    :data:`SNAP` of each other's (chained) moved to the mean position, whole."""
    clusters = _cluster([e[at] for e in group], SNAP)
    members: dict[int, list[Box]] = {}
    for e in group:
        members.setdefault(clusters[e[at]], []).append(e)
    out = []
    for key in sorted(members):
        cluster = members[key]
        mean = sum(e[at] for e in cluster) / len(cluster)
        for e in cluster:
            shift = mean - e[at]
            if not shift:
                out.append(e)
            elif at == 0:
                out.append((e[0] + shift, e[1], e[2] + shift, e[3]))
            else:
                out.append((e[0], e[1] + shift, e[2], e[3] + shift))
    return out


def _join(group: list[Box], lo: int, hi: int) -> list[Box]:
    """Edges on one line joined where they touch or overlap (within :data:`JOIN`)."""
    ordered = sorted(group, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + JOIN:
            if e[hi] > last[hi]:
                extended = list(last)
                extended[hi] = e[hi]
                joined[-1] = tuple(extended)
        else:
            joined.append(e)
    return joined


def merge_edges(vertical: list[Box], horizontal: list[Box]) -> tuple[list[Box], list[Box]]:
    """Snap, join and keep the edges at least :data:`MIN_LENGTH` long."""
    vertical = _snap([e for e in vertical if e[3] - e[1] >= MIN_LENGTH_PREFILTER], 0)
    horizontal = _snap([e for e in horizontal if e[2] - e[0] >= MIN_LENGTH_PREFILTER], 1)
    v_out: list[Box] = []
    for _x, items in itertools.groupby(sorted(vertical, key=itemgetter(0)), key=itemgetter(0)):
        v_out += _join(list(items), 1, 3)
    h_out: list[Box] = []
    for _top, items in itertools.groupby(sorted(horizontal, key=itemgetter(1)), key=itemgetter(1)):
        h_out += _join(list(items), 0, 2)
    return [e for e in v_out if e[3] - e[1] >= MIN_LENGTH], [e for e in h_out if e[2] - e[0] >= MIN_LENGTH]


# -- crossings, cells, tables -----------------------------------------------------------------


def crossings(vertical: list[Box], horizontal: list[Box]) -> dict[tuple[float, float], tuple[set, set]]:
    """``{(x, top): (vertical edges, horizontal edges)}`` where edges meet within :data:`CROSSING`."""
    vertical = sorted(vertical, key=itemgetter(0, 1))
    horizontal = sorted(horizontal, key=itemgetter(1, 0))
    tops = [h[1] for h in horizontal]
    points: dict[tuple[float, float], tuple[set, set]] = {}
    for v in vertical:
        x = v[0]
        start = bisect_left(tops, v[1] - CROSSING)
        stop = bisect_right(tops, v[3] + CROSSING)
        for h in horizontal[start:stop]:
            if h[0] - CROSSING <= x <= h[2] + CROSSING:
                found = points.get((x, h[1]))
                if found is None:
                    found = points[(x, h[1])] = (set(), set())
                found[0].add(v)
                found[1].add(h)
    return points


def cells(points: dict[tuple[float, float], tuple[set, set]]) -> list[Box]:
    """The smallest cell each crossing starts (its top-left corner), in the order of the crossings."""
    ordered = sorted(points)
    below: dict[float, list[float]] = {}
    right: dict[float, list[float]] = {}
    for x, y in ordered:
        below.setdefault(x, []).append(y)
    for x, y in sorted(ordered, key=lambda p: (p[1], p[0])):
        right.setdefault(y, []).append(x)

    def joined(p: tuple, q: tuple) -> bool:
        if p[0] == q[0] and points[p][0] & points[q][0]:
            return True
        return p[1] == q[1] and bool(points[p][1] & points[q][1])

    out = []
    for pt in ordered:
        x, y = pt
        ys, xs = below[x], right[y]
        downs = ys[bisect_right(ys, y) :]
        rights = xs[bisect_right(xs, x) :]
        found = None
        for by in downs:
            down = (x, by)
            if not joined(pt, down):
                continue
            for rx in rights:
                across = (rx, y)
                if not joined(pt, across):
                    continue
                corner = (rx, by)
                if corner in points and joined(corner, across) and joined(corner, down):
                    found = (x, y, rx, by)
                    break
            if found:
                break
        if found:
            out.append(found)
    return out


def _corners(cell: Box) -> tuple:
    x0, top, x1, bottom = cell
    return ((x0, top), (x0, bottom), (x1, top), (x1, bottom))


def group_cells(found: list[Box]) -> list[list[Box]]:
    """Cells sharing corners grouped into tables, top to bottom; single cells dropped."""
    remaining = list(found)
    tables: list[list[Box]] = []
    while remaining:
        corners: set = set()
        current: list[Box] = []
        while True:
            added = False
            rest = []
            for cell in remaining:
                c = _corners(cell)
                if not current or any(p in corners for p in c):
                    corners.update(c)
                    current.append(cell)
                    added = True
                else:
                    rest.append(cell)
            remaining = rest
            if not added or not remaining:
                break
        tables.append(current)
    tables.sort(key=lambda t: min((c[1], c[0]) for c in t))
    return [t for t in tables if len(t) > 1]


class TableRow:
    """One row of a table: its cells in column order (None where a merged cell covers the position)."""

    __slots__ = ("cells", "bbox")

    def __init__(self, row_cells: list[Box | None]):
        self.cells = row_cells
        present = [c for c in row_cells if c is not None]
        self.bbox = (
            min(c[0] for c in present),
            min(c[1] for c in present),
            max(c[2] for c in present),
            max(c[3] for c in present),
        )


class Table:
    """A ruled table: its cells, rows and, given the page's characters, the text of every cell."""

    def __init__(self, table_cells: list[Box]):
        self.cells = table_cells
        self.bbox = (
            min(c[0] for c in table_cells),
            min(c[1] for c in table_cells),
            max(c[2] for c in table_cells),
            max(c[3] for c in table_cells),
        )
        xs = sorted({c[0] for c in table_cells})
        self.rows = []
        for _top, row in itertools.groupby(sorted(table_cells, key=itemgetter(1, 0)), itemgetter(1)):
            by_x = {c[0]: c for c in row}
            self.rows.append(TableRow([by_x.get(x) for x in xs]))

    def extract(self, chars: list[dict]) -> tuple[list[list[str | None]], list[list[list[dict]]]]:
        """``(texts, chars)``: each cell's text (None where covered) and the characters read into it.

        A character belongs to the cell its middle falls in (left and top edges in, right and bottom out).
        """
        x0, top, x1, bottom = self.bbox
        inside = []  # (vertical middle, page order, horizontal middle, char)
        for n, c in enumerate(chars):
            h = (c[X0] + c[X1]) / 2
            v = (c[TOP] + c[BOTTOM]) / 2
            if x0 <= h < x1 and top <= v < bottom:
                inside.append((v, n, h, c))
        inside.sort(key=itemgetter(0, 1))
        middles = [it[0] for it in inside]
        texts, members = [], []
        for row in self.rows:
            r0, rt, r1, rb = row.bbox
            band = sorted(inside[bisect_left(middles, rt) : bisect_left(middles, rb)], key=itemgetter(1))
            row_chars = [(h, c) for _v, _n, h, c in band if r0 <= h < r1]
            row_texts, row_members = [], []
            for cell in row.cells:
                if cell is None:
                    row_texts.append(None)
                    row_members.append([])
                    continue
                c0, ct, c1, cb = cell
                if ct == rt and cb == rb:
                    cell_chars = [c for h, c in row_chars if c0 <= h < c1]
                else:
                    cell_chars = [c for h, c in row_chars if c0 <= h < c1 and ct <= (c[TOP] + c[BOTTOM]) / 2 < cb]
                row_texts.append(text_of(cell_chars))
                row_members.append(cell_chars)
            texts.append(row_texts)
            members.append(row_members)
        return texts, members


def find_tables(rects: list[Box], lines: list[Box], curves: list[tuple]) -> list[Table]:
    """The ruled tables the rulings draw, top to bottom."""
    points = crossings(*merge_edges(*edges(rects, lines, curves)))
    return [Table(group) for group in group_cells(cells(points))]


# -- cell text --------------------------------------------------------------------------------


def _clusters(objs: list[dict], key, tolerance: float) -> list[list[dict]]:
    """``objs`` grouped by ``key`` values chained within ``tolerance``, groups in key order, objects in order."""
    if len(objs) == 1:
        return [objs]
    index = _cluster([key(o) for o in objs], tolerance)
    groups: dict[int, list[dict]] = {}
    for o in objs:
        groups.setdefault(index[key(o)], []).append(o)
    return [groups[k] for k in sorted(groups)]


def _words(line: list[tuple], upright: bool) -> list[tuple[str, float]]:
    """The characters of one line cut into words at blanks and gaps: ``(text, top)`` per word."""
    words: list[list[dict]] = []
    current: list[dict] = []
    for char in line:
        if char[TEXT].isspace():
            if current:
                words.append(current)
            current = []
            continue
        if current:
            prev = current[-1]
            if upright:
                ax, bx, cx, ay, cy = prev[X0], prev[X1], char[X0], prev[TOP], char[TOP]
            else:
                ax, bx, cx, ay, cy = prev[TOP], prev[BOTTOM], char[TOP], prev[X0], char[X0]
            if cx < ax or cx > bx + X_TOLERANCE or abs(cy - ay) > Y_TOLERANCE:
                words.append(current)
                current = []
        current.append(char)
    if current:
        words.append(current)
    return [
        ("".join([c[TEXT] for c in w]), min([c[TOP] for c in w])) if len(w) > 1 else (w[0][TEXT], w[0][TOP])
        for w in words
    ]


def text_of(chars: list[dict]) -> str:
    """The text of a cell's characters: lines joined by newlines, words by spaces."""
    if not chars:
        return ""
    tops = [c[TOP] for c in chars]
    if max(tops) - min(tops) <= Y_TOLERANCE and all(c[UPRIGHT] for c in chars):
        # one printed line (the usual cell): no clustering needed, the result is the same
        return " ".join([w[0] for w in _words(sorted(chars, key=itemgetter(X0)), True)])
    words: list[tuple[str, float]] = []
    for upright, group in itertools.groupby(chars, key=itemgetter(UPRIGHT)):
        group = list(group)
        if upright:
            for line in _clusters(group, itemgetter(TOP), Y_TOLERANCE):
                words += _words(sorted(line, key=itemgetter(X0)), True)
        else:
            for line in _clusters(group, itemgetter(X0), X_TOLERANCE):
                words += _words(sorted(line, key=itemgetter(TOP)), False)
    lines = _clusters(words, itemgetter(1), Y_TOLERANCE)  # words are (text, top)
    return "\n".join(" ".join([w[0] for w in line]) for line in lines)
