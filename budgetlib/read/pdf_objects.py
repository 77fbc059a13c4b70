"""What a PDF page prints, through pdfium: characters with their boxes, and the ruling lines.

:func:`page_chars` and :func:`page_paths` read one pypdfium2 page into plain
records in PDF points, measured from the top-left corner of the page as
displayed (its ``/Rotate`` applied), the coordinates every later step and the
report crops use:

* a **character** is a tuple ``(text, x0, x1, top, bottom, size, upright)``, indexed by
  :data:`TEXT`, :data:`X0` … :data:`UPRIGHT` (a tuple: thousands are made per page). Its box
  is the font's box, as tall as the font size from the descent up (not the ink
  of the glyph), so the characters of one printed line share their top and
  bottom whatever the glyph;
* a **path** is split into its subpaths, each a ``rect`` (an axis-aligned closed
  rectangle: ``re`` or four lines), a ``line`` (one segment) or a ``curve``
  (anything else, as the polyline of its points), as pdfminer classifies them.
  A path at most 2 pt thick is a ``rect`` of its bounds whatever its
  construction, and a filled rectangle is recognised from its bounds and first
  point: most rulings cost two to five pdfium calls instead of twenty. Tables are
  found from these (:mod:`budgetlib.read.lattice`).

pdfium is called through prototypes that take plain addresses (:func:`_fast`):
with thousands of characters and rulings per page, pypdfium2's wrapper objects
per call would cost more than pdfium's own work.
"""
from __future__ import annotations

import ctypes
import struct

import pypdfium2.raw as pdfium_c

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_BEZIER = pdfium_c.FPDF_SEGMENT_BEZIERTO
_MOVE = pdfium_c.FPDF_SEGMENT_MOVETO

Matrix = tuple[float, float, float, float, float, float]
#: The fields of a character tuple (see :func:`page_chars`).
TEXT, X0, X1, TOP, BOTTOM, SIZE, UPRIGHT = range(7)
_FOUR_FLOATS = struct.Struct("4f")
_LEFT_RIGHT = struct.Struct("f4xf")  # left and right of an FS_RECTF (left, top, right, bottom)
#: Paths at most this thick (pt) are read by their bounds alone (see :func:`_walk`).
_THIN = 2.0


class PageFrame:
    """From PDF user space to the displayed page: points from the top-left, ``/Rotate`` applied."""

    def __init__(self, mediabox: tuple[float, float, float, float], rotation: int = 0):
        left, bottom, right, top = mediabox
        self.rotation = int(rotation) % 360
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        turned = self.rotation in (90, 270)
        self.width = (top - bottom) if turned else (right - left)
        self.height = (right - left) if turned else (top - bottom)

    @classmethod
    def of_page(cls, page) -> "PageFrame":
        """The frame of a page (a pypdfium2 page or a raw ``FPDF_PAGE``): its bounding box (the
        media box cut to the crop box, inherited from the page tree where the page has none, as
        viewers and pdfium's rendering show it) and its rotation."""
        box = pdfium_c.FS_RECTF()
        if not pdfium_c.FPDF_GetPageBoundingBox(page, box):  # pragma: no cover - every page has one
            return cls((0.0, 0.0, 612.0, 792.0), 0)
        rotation = pdfium_c.FPDFPage_GetRotation(page) * 90
        return cls((box.left, box.bottom, box.right, box.top), rotation)

    def user_box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """``(left, bottom, right, top)`` in user space of a box on the displayed page (inverse of :meth:`box`)."""
        corners = [self._user(x, y) for x, y in ((x0, top), (x1, bottom))]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        return min(xs), min(ys), max(xs), max(ys)

    def _user(self, x: float, y: float) -> tuple[float, float]:
        r = self.rotation
        if r == 0:
            return x + self.left, self.top - y
        if r == 90:
            return y + self.left, x + self.bottom
        if r == 180:
            return self.right - x, y + self.bottom
        return self.right - y, self.top - x

    def point(self, x: float, y: float) -> tuple[float, float]:
        """``(x, top)`` on the displayed page of the user-space point ``(x, y)``."""
        r = self.rotation
        if r == 0:
            return x - self.left, self.top - y
        if r == 90:
            return y - self.bottom, x - self.left
        if r == 180:
            return self.right - x, y - self.bottom
        return self.top - y, self.right - x

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        """``(x0, top, x1, bottom)`` on the displayed page of a user-space rectangle."""
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def upright(self, a: float, b: float, c: float, d: float) -> bool:
        """Whether text drawn with matrix ``(a b c d)`` reads left to right on the displayed page."""
        for _ in range(self.rotation // 90):
            a, b, c, d = b, -a, d, -c
        return a * d > 0 and b * c <= 0


def _fast(name: str, restype, *argtypes):
    """pdfium's function ``name`` taking and returning plain addresses and numbers (no wrapper objects per call)."""
    address = ctypes.cast(getattr(pdfium_c, name), ctypes.c_void_p).value
    return ctypes.CFUNCTYPE(restype, *argtypes)(address)


_P, _I, _D = ctypes.c_void_p, ctypes.c_int, ctypes.c_double
_text_object = _fast("FPDFText_GetTextObject", _P, _P, _I)
_loose_box = _fast("FPDFText_GetLooseCharBox", _I, _P, _I, _P)  # FS_RECTF: left, top, right, bottom
_font_size = _fast("FPDFText_GetFontSize", _D, _P, _I)
_char_matrix = _fast("FPDFText_GetMatrix", _I, _P, _I, ctypes.POINTER(pdfium_c.FS_MATRIX))
_object_font = _fast("FPDFTextObj_GetFont", _P, _P)
_font_descent = _fast("FPDFFont_GetDescent", _I, _P, ctypes.c_float, _P)
_segment = _fast("FPDFPath_GetPathSegment", _P, _P, _I)
_segment_point = _fast("FPDFPathSegment_GetPoint", _I, _P, ctypes.POINTER(ctypes.c_float), ctypes.POINTER(ctypes.c_float))
_segment_type = _fast("FPDFPathSegment_GetType", _I, _P)
_segment_close = _fast("FPDFPathSegment_GetClose", _I, _P)
_segment_count = _fast("FPDFPath_CountSegments", _I, _P)
_object_type = _fast("FPDFPageObj_GetType", _I, _P)
_object_matrix = _fast("FPDFPageObj_GetMatrix", _I, _P, ctypes.POINTER(pdfium_c.FS_MATRIX))
_draw_mode = _fast("FPDFPath_GetDrawMode", _I, _P, ctypes.POINTER(_I), ctypes.POINTER(_I))
_bounds = _fast("FPDFPageObj_GetBounds", _I, _P, _P, _P, _P, _P)  # left, bottom, right, top
_page_count = _fast("FPDFPage_CountObjects", _I, _P)
_page_object = _fast("FPDFPage_GetObject", _P, _P, _I)
_form_count = _fast("FPDFFormObj_CountObjects", _I, _P)
_form_object = _fast("FPDFFormObj_GetObject", _P, _P, ctypes.c_ulong)


def address(handle) -> int:
    """The plain address of a pypdfium2 handle (page, text page, page object)."""
    raw = getattr(handle, "raw", handle)
    return ctypes.cast(raw, ctypes.c_void_p).value or 0


def page_chars(textpage, frame: PageFrame) -> list[tuple]:
    """Every character the page's content draws (pdfium's generated spaces and line ends left out).

    Characters of one text object share its matrix, size and baseline, so those are
    asked of pdfium once per object; each character costs one call for its box.
    """
    tp = address(textpage)
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    got = pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = buffer.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="surrogatepass")
    if len(units) != count:  # a character outside the BMP takes two UTF-16 units: ask one by one
        units = "".join(chr(pdfium_c.FPDFText_GetUnicode(textpage, i)) for i in range(count))
    box = ctypes.create_string_buffer(16)  # read back with struct: far cheaper than a ctypes array
    at = ctypes.addressof(box)
    unpack = _FOUR_FLOATS.unpack_from
    unpack_x = _LEFT_RIGHT.unpack_from
    matrix = pdfium_c.FS_MATRIX()
    pmatrix = ctypes.pointer(matrix)
    descents: dict[int, float] = {}  # per font: its descent below the baseline at size 1
    # per text object: (size, upright, bottom and top of the font box, or None when the page is turned)
    objects: dict[int, tuple] = {}
    turned = frame.rotation != 0
    top, left = frame.top, frame.left
    chars = []
    append = chars.append
    last, known = None, None
    for i in range(min(count, len(units))):
        obj = _text_object(tp, i)
        if not obj:  # generated by pdfium (a space it inferred, a line end)
            continue
        text = units[i]
        if obj != last:
            last = obj
            known = objects.get(obj)
            if known is None:
                known = objects[obj] = _object_facts(tp, i, obj, frame, turned, top, pmatrix, matrix, descents)
        size, upright, bottom, head = known
        _loose_box(tp, i, at)
        if bottom is not None:  # upright on an unturned page: only the box's left and right are needed
            x0, x1 = unpack_x(box)
            append((text, x0 - left, x1 - left, head, bottom, size, True))
            continue
        x0, y1, x1, y0 = unpack(box)
        x0, y0, x1, y1 = frame.box(x0, y0, x1, y1)
        append((text, x0, x1, y0, y1, size, upright))
    return chars


def _object_facts(tp, i, obj, frame, turned, top, pmatrix, matrix, descents):
    """``(size, upright, bottom, top)`` shared by the characters of one text object."""
    _char_matrix(tp, i, pmatrix)
    a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
    # pdfium's size is the ``Tf`` operand; the printed size is scaled by the text matrix
    size = _font_size(tp, i) * (c * c + d * d) ** 0.5
    upright = frame.upright(a, b, c, d)
    if not upright or turned:
        return size, upright, None, None
    font = _object_font(obj)
    descent = descents.get(font)
    if descent is None:
        value = ctypes.c_float()
        descent = descents[font] = value.value if font and _font_descent(font, 1.0, ctypes.byref(value)) else float("nan")
    if descent != descent:
        return size, upright, None, None
    # pdfminer's box: from the font's descent below the baseline (the text matrix's origin), one size tall
    bottom = top - matrix.f - descent * size
    return size, upright, bottom, bottom - size


def page_paths(page, frame: PageFrame) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """``(rects, lines, curves)`` the page paints, Form XObjects included: ``(x0, top, x1, bottom)``
    each, and a curve's points after its box."""
    out: tuple[list[tuple], list[tuple], list[tuple]] = ([], [], [])
    handle = address(page)
    objects = [_page_object(handle, i) for i in range(_page_count(handle))]
    _walk(objects, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), frame, out, 0)
    return out


def count_images(page) -> int:
    """Image objects drawn directly on the page (a scan is one image per page)."""
    handle = address(page)
    return sum(_object_type(_page_object(handle, i)) == pdfium_c.FPDF_PAGEOBJ_IMAGE for i in range(_page_count(handle)))


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk(objects: list[int], outer: Matrix, frame: PageFrame, out, depth: int) -> None:
    fs = pdfium_c.FS_MATRIX()
    pfs = ctypes.pointer(fs)
    fill, stroke = _I(), _I()
    pfill, pstroke = ctypes.pointer(fill), ctypes.pointer(stroke)
    identity = outer == (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    rects = out[0]
    edges = ctypes.create_string_buffer(16)
    at = ctypes.addressof(edges)
    unpack = _FOUR_FLOATS.unpack_from
    x, y = _XY
    px, py = _PXY
    plain = frame.rotation == 0
    fast = plain and identity
    for obj in objects:
        kind = _object_type(obj)
        if kind != _PATH and kind != _FORM:
            continue
        if fast and kind == _PATH and _bounds(obj, at, at + 4, at + 8, at + 12):
            # A path at most 2 pt thick is a ruling whatever its construction (a filled
            # rectangle, a stroked line): it counts by its bounds, which two calls give.
            left, bottom, right, top = unpack(edges)
            if right - left <= _THIN or top - bottom <= _THIN:
                rects.append((left - frame.left, frame.top - top, right - frame.left, frame.top - bottom))
                continue
        if not _object_matrix(obj, pfs):  # pragma: no cover - pdfium always has one
            continue
        matrix = (fs.a, fs.b, fs.c, fs.d, fs.e, fs.f)
        if not identity:
            matrix = _multiply(matrix, outer)
        if kind == _FORM:
            if depth < 15:
                inner = [_form_object(obj, i) for i in range(_form_count(obj))]
                _walk(inner, matrix, frame, out, depth + 1)
            continue
        _draw_mode(obj, pfill, pstroke)
        if not fill.value and not stroke.value:
            continue
        a, b, c, d, e, f = matrix
        if plain and not stroke.value and b == 0 and c == 0 and _segment_count(obj) == 5:
            # Most rulings are filled rectangles (``re``: a move and four lines). Their bounds are
            # the rectangle (no stroke widens them); the first point on a corner of the bounds tells
            # a rectangle from another four-sided shape. Five calls instead of about twenty.
            _bounds(obj, at, at + 4, at + 8, at + 12)
            left, bottom, right, top = unpack(edges)
            _segment_point(_segment(obj, 0), px, py)
            ux, uy = x.value * a + e, y.value * d + f
            if (abs(ux - left) < 0.01 or abs(ux - right) < 0.01) and (abs(uy - bottom) < 0.01 or abs(uy - top) < 0.01):
                rects.append((left - frame.left, frame.top - top, right - frame.left, frame.top - bottom))
                continue
        _path(obj, matrix, frame, out)


def _path(obj: int, matrix: Matrix, frame: PageFrame, out) -> None:
    """Split one path object into subpaths and classify each as pdfminer does."""
    x, y = _XY
    px, py = _PXY
    kinds, points = [], []
    for i in range(_segment_count(obj)):
        seg = _segment(obj, i)
        _segment_point(seg, px, py)
        kinds.append(_segment_type(seg))
        points.append((x.value, y.value))
    if not kinds:
        return
    a, b, c, d, e, f = matrix
    if frame.rotation == 0:
        left, top = frame.left, frame.top
        points = [(ux * a + uy * c + e - left, top - (ux * b + uy * d + f)) for ux, uy in points]
    else:
        point = frame.point
        points = [point(ux * a + uy * c + e, ux * b + uy * d + f) for ux, uy in points]
    starts = [i for i, k in enumerate(kinds) if k == _MOVE] or [0]
    if starts[0] != 0:  # pragma: no cover - pdfium paths start with a move
        return
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(kinds)
        shape, pts, bezier = "m", [points[start]], 0
        for i in range(start + 1, stop):
            if kinds[i] == _BEZIER:
                bezier += 1
                if bezier == 3:  # control, control, end: one ``c`` ending at its last point
                    shape += "c"
                    pts.append(points[i])
                    bezier = 0
            else:
                shape += "l"
                pts.append(points[i])
        if _segment_close(_segment(obj, stop - 1)):
            shape += "h"
            pts.append(pts[0])
        _classify(shape, pts, out)


_XY = (ctypes.c_float(), ctypes.c_float())
_PXY = (ctypes.pointer(_XY[0]), ctypes.pointer(_XY[1]))


def _classify(shape: str, pts: list[tuple[float, float]], out) -> None:
    rects, lines, curves = out
    if shape[:1] != "m":  # pragma: no cover - pdfium paths start with a move
        return
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        del pts[-2]
    if shape in ("mlh", "ml"):
        (x0, t0), (x1, t1) = pts[0], pts[1]
        lines.append((min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1)))
        return
    if shape in ("mlllh", "mllll") and len(pts) == 5:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == last and square:
            rects.append((min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2)))
            return
    if len(pts) < 2:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    curves.append((min(xs), min(ys), max(xs), max(ys), pts))
