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

A cell's text is the characters whose centre falls inside it, read as lines
(3 pt) and words (3 pt gap), lines joined by newlines, words by spaces.
"""
from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from operator import itemgetter

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


def edges(rects: list[dict], lines: list[dict], curves: list[dict]) -> list[dict]:
    """Axis-parallel edges of the rulings (pdfplumber's ``page.edges``: lines, rectangle sides, polyline segments)."""
    out = []
    for line in lines:
        edge = dict(line)
        edge["orientation"] = "h" if line["top"] == line["bottom"] else "v"
        out.append(edge)
    for r in rects:
        x0, top, x1, bottom = r["x0"], r["top"], r["x1"], r["bottom"]
        w, h = x1 - x0, bottom - top
        out.append({"x0": x0, "x1": x1, "top": top, "bottom": top, "width": w, "height": 0, "orientation": "h"})
        out.append({"x0": x0, "x1": x1, "top": bottom, "bottom": bottom, "width": w, "height": 0, "orientation": "h"})
        out.append({"x0": x0, "x1": x0, "top": top, "bottom": bottom, "width": 0, "height": h, "orientation": "v"})
        out.append({"x0": x1, "x1": x1, "top": top, "bottom": bottom, "width": 0, "height": h, "orientation": "v"})
    for curve in curves:
        for (ax, ay), (bx, by) in zip(curve["pts"], curve["pts"][1:]):
            orientation = "v" if ax == bx else ("h" if ay == by else None)
            if orientation:
                out.append(
                    {
                        "x0": min(ax, bx),
                        "x1": max(ax, bx),
                        "top": min(ay, by),
                        "bottom": max(ay, by),
                        "width": abs(ax - bx),
                        "height": abs(ay - by),
                        "orientation": orientation,
                    }
                )
    return out


def _long(edge: dict, min_length: float) -> bool:
    return (edge["height"] if edge["orientation"] == "v" else edge["width"]) >= min_length


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


def _snap(group: list[dict], attr: str) -> list[dict]:
    clusters = _cluster([e[attr] for e in group], SNAP)
    members: dict[int, list[dict]] = {}
    for e in sorted(group, key=lambda e: clusters[e[attr]]):
        members.setdefault(clusters[e[attr]], []).append(e)
    out = []
    lo, hi = ("x0", "x1") if attr == "x0" else ("top", "bottom")
    for cluster in members.values():
        mean = sum(e[attr] for e in cluster) / len(cluster)
        for e in cluster:
            shift = mean - e[attr]
            moved = dict(e)
            moved[lo], moved[hi] = e[lo] + shift, e[hi] + shift
            out.append(moved)
    return out


def _join(group: list[dict], orientation: str) -> list[dict]:
    lo, hi = ("x0", "x1") if orientation == "h" else ("top", "bottom")
    size = "width" if orientation == "h" else "height"
    ordered = sorted(group, key=itemgetter(lo))
    joined = [ordered[0]]
    for e in ordered[1:]:
        last = joined[-1]
        if e[lo] <= last[hi] + JOIN:
            if e[hi] > last[hi]:
                last = dict(last)
                last[hi] = e[hi]
                last[size] = e[hi] - last[lo]
                joined[-1] = last
        else:
            joined.append(e)
    return joined


def merge_edges(all_edges: list[dict]) -> list[dict]:
    """Snap, join and keep the edges at least :data:`MIN_LENGTH` long."""
    vertical = [e for e in all_edges if e["orientation"] == "v" and _long(e, MIN_LENGTH_PREFILTER)]
    horizontal = [e for e in all_edges if e["orientation"] == "h" and _long(e, MIN_LENGTH_PREFILTER)]
    snapped = _snap(vertical, "x0") + _snap(horizontal, "top")

    def group(e: dict) -> tuple[str, float]:
        return ("h", e["top"]) if e["orientation"] == "h" else ("v", e["x0"])

    merged = []
    for key, items in itertools.groupby(sorted(snapped, key=group), key=group):
        merged += _join(list(items), key[0])
    return [e for e in merged if _long(e, MIN_LENGTH)]


# -- crossings, cells, tables -----------------------------------------------------------------


def _bbox(e: dict) -> Box:
    return (e["x0"], e["top"], e["x1"], e["bottom"])


def crossings(merged: list[dict]) -> dict[tuple[float, float], tuple[set, set]]:
    """``{(x, top): (vertical edges, horizontal edges)}`` where edges meet within :data:`CROSSING`."""
    vertical = sorted((e for e in merged if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontal = sorted((e for e in merged if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontal]
    points: dict[tuple[float, float], tuple[set, set]] = {}
    for v in vertical:
        x = v["x0"]
        start = bisect_left(tops, v["top"] - CROSSING)
        stop = bisect_right(tops, v["bottom"] + CROSSING)
        for h in horizontal[start:stop]:
            if h["x0"] - CROSSING <= x <= h["x1"] + CROSSING:
                found = points.get((x, h["top"]))
                if found is None:
                    found = points[(x, h["top"])] = (set(), set())
                found[0].add(_bbox(v))
                found[1].add(_bbox(h))
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
        inside = []  # (vertical middle, horizontal middle, char), in the page's order
        for c in chars:
            h = (c["x0"] + c["x1"]) / 2
            v = (c["top"] + c["bottom"]) / 2
            if x0 <= h < x1 and top <= v < bottom:
                inside.append((v, h, c))
        texts, members = [], []
        for row in self.rows:
            r0, rt, r1, rb = row.bbox
            row_chars = [(h, c) for v, h, c in inside if rt <= v < rb and r0 <= h < r1]
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
                    cell_chars = [c for h, c in row_chars if c0 <= h < c1 and ct <= (c["top"] + c["bottom"]) / 2 < cb]
                row_texts.append(text_of(cell_chars))
                row_members.append(cell_chars)
            texts.append(row_texts)
            members.append(row_members)
        return texts, members


def find_tables(rects: list[dict], lines: list[dict], curves: list[dict]) -> list[Table]:
    """The ruled tables the rulings draw, top to bottom."""
    points = crossings(merge_edges(edges(rects, lines, curves)))
    return [Table(group) for group in group_cells(cells(points))]


# -- cell text --------------------------------------------------------------------------------


def _clusters(objs: list[dict], key, tolerance: float) -> list[list[dict]]:
    index = _cluster([key(o) for o in objs], tolerance)
    ordered = sorted(objs, key=lambda o: index[key(o)])
    return [list(g) for _, g in itertools.groupby(ordered, key=lambda o: index[key(o)])]


def _words(line: list[dict], upright: bool) -> list[dict]:
    """The characters of one line cut into words at blanks and gaps."""
    words: list[list[dict]] = []
    current: list[dict] = []
    for char in line:
        if char["text"].isspace():
            if current:
                words.append(current)
            current = []
            continue
        if current:
            prev = current[-1]
            if upright:
                ax, bx, cx, ay, cy = prev["x0"], prev["x1"], char["x0"], prev["top"], char["top"]
            else:
                ax, bx, cx, ay, cy = prev["top"], prev["bottom"], char["top"], prev["x0"], char["x0"]
            if cx < ax or cx > bx + X_TOLERANCE or abs(cy - ay) > Y_TOLERANCE:
                words.append(current)
                current = []
        current.append(char)
    if current:
        words.append(current)
    return [
        {
            "text": "".join(c["text"] for c in w),
            "x0": min(c["x0"] for c in w),
            "top": min(c["top"] for c in w),
        }
        for w in words
    ]


def text_of(chars: list[dict]) -> str:
    """The text of a cell's characters: lines joined by newlines, words by spaces."""
    if not chars:
        return ""
    words: list[dict] = []
    for upright, group in itertools.groupby(chars, key=itemgetter("upright")):
        group = list(group)
        if upright:
            for line in _clusters(group, itemgetter("top"), Y_TOLERANCE):
                words += _words(sorted(line, key=itemgetter("x0")), True)
        else:
            for line in _clusters(group, itemgetter("x0"), X_TOLERANCE):
                words += _words(sorted(line, key=itemgetter("top")), False)
    lines = _clusters(words, itemgetter("top"), Y_TOLERANCE)
    return "\n".join(" ".join(w["text"] for w in line) for line in lines)
