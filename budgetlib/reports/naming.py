"""Safe file names built from department names (which come from documents).

One name per report: :func:`report_stem` keeps every character of the department's
name that is safe in a file name (dots included: ``v1.2甲区总工会`` stays whole),
replaces the rest, cuts a name too long for a file system at a character boundary,
and appends the department's key (and the years, when the report is limited to
some), so two departments, or one department's reports of different years, never
share a file. :func:`with_ext` adds an extension without reading anything after a
dot as one (``Path.with_suffix`` would turn ``v1.2甲区`` into ``v1.html``).
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

#: The folder of the department reports inside a reports folder.
DEPARTMENT_DIR = "departments"

_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*\s]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
#: Bytes (UTF-8) of the name part of a stem: file systems allow 255 bytes a name, and the key,
#: the years, the extension (``.failed.ipynb``) and a temporary prefix and suffix must fit too.
MAX_STEM_BYTES = 180


def safe_stem(text: str, key: str) -> str:
    """A file-name stem that stays inside its folder on any system: ``<name>-<key>``.

    Path separators, reserved and control characters and white space become ``_``;
    dots, spaces and ``_`` at the ends are avoided (a leading dot hides a file, Windows
    drops a trailing one), as are Windows device names; the rest of the name is kept.
    """
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFKC", text or "")).strip("._ ")
    stem = _cut(stem, MAX_STEM_BYTES).rstrip("._ ")
    if not stem or stem.upper().split(".")[0] in _RESERVED:
        stem = "部门"
    return f"{stem}-{key}"


def report_stem(name: str, key: str, years: Iterable[int] = ()) -> str:
    """The stem of a department's report files: the years appended when the report covers only those."""
    chosen = sorted(set(years or ()))
    return safe_stem(name, key if not chosen else f"{'_'.join(map(str, chosen))}-{key}")


def with_ext(path: Path, ext: str) -> Path:
    """``path`` with ``ext`` appended to its whole name (never replacing what follows a dot)."""
    return path.with_name(path.name + ext)


def _cut(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, at a character boundary."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    return data[:limit].decode("utf-8", errors="ignore")
