"""Safe file names built from department names (which come from documents)."""
from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*\s]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_STEM = 60


def safe_stem(text: str, key: str) -> str:
    """A file-name stem that stays inside its folder on any system.

    Path separators, reserved and control characters become ``_``; dots at the
    ends and Windows device names are avoided; the department key is appended
    so two departments never share a file.
    """
    stem = _UNSAFE.sub("_", unicodedata.normalize("NFKC", text or "")).strip("._ ")
    stem = stem[:MAX_STEM].rstrip("._ ")
    if not stem or stem.upper().split(".")[0] in _RESERVED:
        stem = "部门"
    return f"{stem}-{key}"
