"""What a PDF page prints, through pdfium: characters with their boxes, and the ruling lines.

:func:`page_chars` and :func:`page_paths` read one pypdfium2 page into plain
records in PDF points, measured from the top-left corner of the page as
displayed (its ``/Rotate`` applied), the coordinates every later step and the
report crops use:

* a **character** is a dict ``text, x0, x1, top, bottom, size, upright``. Its box
  is the font's box, as tall as the font size from the descent up (not the ink
  of the glyph), so the characters of one printed line share their top and
  bottom whatever the glyph;
* a **path** is split into its subpaths, each a ``rect`` (an axis-aligned closed
  rectangle: ``re`` or four lines), a ``line`` (one segment) or a ``curve``
  (anything else, as the polyline of its points). Tables are found from these
  (:mod:`budgetlib.read.lattice`).
"""
from __future__ import annotations

import ctypes

import pypdfium2.raw as pdfium_c

_PATH = pdfium_c.FPDF_PAGEOBJ_PATH
_FORM = pdfium_c.FPDF_PAGEOBJ_FORM
_BEZIER = pdfium_c.FPDF_SEGMENT_BEZIERTO
_MOVE = pdfium_c.FPDF_SEGMENT_MOVETO

Matrix = tuple[float, float, float, float, float, float]


class PageFrame:
    """From PDF user space to the displayed page: points from the top-left, ``/Rotate`` applied."""

    def __init__(self, page):
        left, bottom, right, top = page.get_mediabox()
        self.rotation = page.get_rotation() % 360
        self.left, self.bottom, self.right, self.top = left, bottom, right, top
        turned = self.rotation in (90, 270)
        self.width = (top - bottom) if turned else (right - left)
        self.height = (right - left) if turned else (top - bottom)

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


def page_chars(textpage, frame: PageFrame) -> list[dict]:
    """Every character the page's content draws (pdfium's generated spaces and line ends left out)."""
    count = pdfium_c.FPDFText_CountChars(textpage)
    if count <= 0:
        return []
    buffer = ctypes.create_string_buffer((count + 1) * 2)
    got = pdfium_c.FPDFText_GetText(textpage, 0, count, ctypes.cast(buffer, ctypes.POINTER(ctypes.c_ushort)))
    units = buffer.raw[: max(got - 1, 0) * 2].decode("utf-16-le", errors="surrogatepass")
    rect = pdfium_c.FS_RECTF()
    matrix = pdfium_c.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    descent = ctypes.c_float()
    descents: dict[int, float] = {}
    is_generated = pdfium_c.FPDFText_IsGenerated
    loose_box = pdfium_c.FPDFText_GetLooseCharBox
    font_size = pdfium_c.FPDFText_GetFontSize
    text_object = pdfium_c.FPDFText_GetTextObject
    origin = pdfium_c.FPDFText_GetCharOrigin
    get_matrix = pdfium_c.FPDFText_GetMatrix
    unicode = pdfium_c.FPDFText_GetUnicode
    rotated = frame.rotation != 0
    chars = []
    for i in range(count):
        text = units[i] if i < len(units) else chr(unicode(textpage, i))
        if text in "\r\n" or is_generated(textpage, i) == 1:
            continue
        if "\ud800" <= text <= "\udfff":  # pragma: no cover - outside the BMP: ask for the code point
            text = chr(unicode(textpage, i))
        loose_box(textpage, i, rect)
        get_matrix(textpage, i, matrix)
        a, b, c, d = matrix.a, matrix.b, matrix.c, matrix.d
        # pdfium's size is the ``Tf`` operand; the printed size is scaled by the text matrix
        size = font_size(textpage, i) * (c * c + d * d) ** 0.5
        obj = text_object(textpage, i)
        key = ctypes.cast(obj, ctypes.c_void_p).value or 0
        low = descents.get(key)
        if low is None:
            # pdfminer's box: from the font's descent below the baseline, one font size tall
            font = pdfium_c.FPDFTextObj_GetFont(obj) if obj else None
            low = descent.value / 1.0 if font and pdfium_c.FPDFFont_GetDescent(font, 1.0, descent) else None
            low = descents[key] = low if low is not None else float("nan")
        upright = frame.upright(a, b, c, d)
        if upright and not rotated and low == low:
            origin(textpage, i, ox, oy)
            base = frame.top - oy.value
            bottom = base - low * size
            x0, x1 = rect.left - frame.left, rect.right - frame.left
            chars.append({"text": text, "x0": x0, "x1": x1, "top": bottom - size, "bottom": bottom, "size": size, "upright": True})
            continue
        x0, top, x1, bottom = frame.box(rect.left, rect.bottom, rect.right, rect.top)
        chars.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom, "size": size, "upright": upright})
    return chars


def page_paths(page, frame: PageFrame) -> tuple[list[dict], list[dict], list[dict]]:
    """``(rects, lines, curves)`` the page paints, Form XObjects included."""
    rects: list[dict] = []
    lines: list[dict] = []
    curves: list[dict] = []
    count = pdfium_c.FPDFPage_CountObjects(page)
    _walk(
        [pdfium_c.FPDFPage_GetObject(page, i) for i in range(count)],
        (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
        frame,
        (rects, lines, curves),
        0,
    )
    return rects, lines, curves


def _multiply(m: Matrix, n: Matrix) -> Matrix:
    """``m`` then ``n`` (PDF row-vector convention)."""
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _walk(objects, outer: Matrix, frame: PageFrame, out, depth: int) -> None:
    fs = pdfium_c.FS_MATRIX()
    for obj in objects:
        kind = pdfium_c.FPDFPageObj_GetType(obj)
        if kind not in (_PATH, _FORM):
            continue
        if not pdfium_c.FPDFPageObj_GetMatrix(obj, fs):  # pragma: no cover - pdfium always has one
            continue
        matrix = _multiply((fs.a, fs.b, fs.c, fs.d, fs.e, fs.f), outer)
        if kind == _FORM:
            if depth < 15:
                n = pdfium_c.FPDFFormObj_CountObjects(obj)
                _walk([pdfium_c.FPDFFormObj_GetObject(obj, i) for i in range(n)], matrix, frame, out, depth + 1)
            continue
        fill, stroke = ctypes.c_int(), ctypes.c_int()
        pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
        if not fill.value and not stroke.value:
            continue
        _path(obj, matrix, frame, out)


def _path(obj, matrix: Matrix, frame: PageFrame, out) -> None:
    """Split one path object into subpaths and classify each as pdfminer does."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    subpaths: list[tuple[str, list[tuple[float, float]]]] = []
    shape, pts = "", []
    bezier = 0
    for i in range(pdfium_c.FPDFPath_CountSegments(obj)):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        kind = pdfium_c.FPDFPathSegment_GetType(seg)
        px, py = x.value, y.value
        point = frame.point(px * a + py * c + e, px * b + py * d + f)
        if kind == _MOVE:
            if shape:
                subpaths.append((shape, pts))
            shape, pts, bezier = "m", [point], 0
        elif kind == _BEZIER:
            bezier += 1
            if bezier == 3:  # control, control, end: one ``c`` ending at its last point
                shape += "c"
                pts.append(point)
                bezier = 0
        else:
            shape += "l"
            pts.append(point)
        if pdfium_c.FPDFPathSegment_GetClose(seg) and shape:
            shape += "h"
            pts.append(pts[0])
    if shape:
        subpaths.append((shape, pts))
    for shape, pts in subpaths:
        _classify(shape, pts, out)


def _classify(shape: str, pts: list[tuple[float, float]], out) -> None:
    rects, lines, curves = out
    if shape[:1] != "m":  # pragma: no cover - pdfium paths start with a move
        return
    if len(shape) > 3 and shape[-2:] == "lh" and pts[-2] == pts[0]:
        shape = shape[:-2] + "h"
        del pts[-2]
    if shape in ("mlh", "ml"):
        (x0, t0), (x1, t1) = pts[0], pts[1]
        lines.append(_bbox("line", min(x0, x1), min(t0, t1), max(x0, x1), max(t0, t1)))
        return
    if shape in ("mlllh", "mllll") and len(pts) == 5:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3), last = pts
        square = (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)
        if pts[0] == last and square:
            rects.append(_bbox("rect", min(x0, x2), min(y0, y2), max(x0, x2), max(y0, y2)))
            return
    if len(pts) < 2:
        return
    xs = [p[0] for p in pts]
    ys = [p[1] for p in pts]
    curve = _bbox("curve", min(xs), min(ys), max(xs), max(ys))
    curve["pts"] = pts
    curves.append(curve)


def _bbox(kind: str, x0: float, top: float, x1: float, bottom: float) -> dict:
    return {"object_type": kind, "x0": x0, "top": top, "x1": x1, "bottom": bottom, "width": x1 - x0, "height": bottom - top}
