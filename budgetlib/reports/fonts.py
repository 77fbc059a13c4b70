"""Locate a CJK font and make matplotlib use it for Chinese chart labels.

Font decision
-------------
The primary font is Noto Sans SC 2.004 (SIL Open Font License 1.1) shipped
inside the PyPI wheel ``pylopdf-fonts-zh-cn`` (pure Python, about 20 MB,
font sha256 ``faa6c9df…6d5ea9``). Reasons:

* it installs with plain ``pip`` wherever the project's Python runs: a fresh
  Debian machine, a conda environment on Linux, macOS or Windows, CI; no root,
  no apt, and the version is pinned with the rest of the Python dependencies;
* every machine renders the charts with the same font file, so report images
  are reproducible;
* it is a single-face ``.otf`` of the simplified-Chinese subset, so there is no
  ``.ttc`` face-index issue (matplotlib #3135) and it contains the minus sign
  U+2212, unlike SimHei (proprietary, never shipped here). ``mplfonts`` was
  rejected because its wheel bundles SimHei.

Fallbacks, in order after the packaged font is not importable:

1. the environment variable ``BUDGETLIB_CJK_FONT`` (checked FIRST, as an
   explicit override: a path to any .otf/.ttf/.ttc file);
2. Debian's ``fonts-noto-cjk`` (installed by ``scripts/install-system-deps.sh``,
   which the HTML screenshots in the tests need anyway, because Chromium only
   sees system fonts).

The font is registered by path with ``fontManager.addfont`` so it works even
when matplotlib's font cache was built before the font was installed
(matplotlib #13810).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

from budgetlib.errors import ReportError

__all__ = ["FontNotFoundError", "cjk_font_path", "configure_matplotlib"]

ENV_VAR = "BUDGETLIB_CJK_FONT"
PACKAGED_FONT = ("pylopdf_fonts_zh_cn", "NotoSansSC-Regular.otf")
SYSTEM_FONTS = (
    # Debian/Ubuntu fonts-noto-cjk
    Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
    Path("/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf"),
)

INSTALL_HINT = (
    "未找到可用的中文字体，图表中的中文将无法显示。请任选一种方式安装：\n"
    "  1. pip install pylopdf-fonts-zh-cn（推荐，适用于任何系统和 conda 环境）；\n"
    "  2. Debian/Ubuntu：以 root 运行 scripts/install-system-deps.sh（安装 fonts-noto-cjk）；\n"
    f"  3. 设置环境变量 {ENV_VAR} 指向一个包含中文字形的 .otf/.ttf/.ttc 字体文件。"
)


class FontNotFoundError(ReportError):
    """No usable CJK font file was found."""


def _packaged_font() -> Path | None:
    """Return the font file shipped by the PyPI font package, if installed."""
    module, filename = PACKAGED_FONT
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / filename
        if candidate.is_file():
            return candidate
    return None


def cjk_font_path() -> Path:
    """Return the path of the CJK font file to use, or raise FontNotFoundError."""
    override = os.environ.get(ENV_VAR)
    if override:
        path = Path(override).expanduser()
        if not path.is_file():
            raise FontNotFoundError(
                f"环境变量 {ENV_VAR} 指向的字体文件不存在：{path}\n{INSTALL_HINT}"
            )
        return path
    packaged = _packaged_font()
    if packaged is not None:
        return packaged
    for path in SYSTEM_FONTS:
        if path.is_file():
            return path
    raise FontNotFoundError(INSTALL_HINT)


def configure_matplotlib() -> str:
    """Register the CJK font with matplotlib by path and make it the default.

    Sets ``font.family`` to sans-serif with the CJK family first (DejaVu Sans
    and the previous entries stay as per-glyph fallbacks) and keeps the real
    minus sign U+2212, which Noto Sans CJK has. Returns the family name.
    Safe to call more than once.
    """
    import matplotlib
    from matplotlib import font_manager

    path = cjk_font_path()
    resolved = os.fsdecode(path.resolve())
    manager = font_manager.fontManager

    def faces() -> list[str]:
        return [e.name for e in manager.ttflist if os.path.realpath(e.fname) == resolved]

    if not faces():
        manager.addfont(resolved)
    names = faces()
    if not names:
        raise FontNotFoundError(f"matplotlib 无法读取字体文件：{path}\n{INSTALL_HINT}")
    # A Pan-CJK .ttc holds JP, KR, SC, TC and HK faces: prefer simplified Chinese.
    family = next((n for n in names if n.endswith(" SC")), names[0])

    found = font_manager.findfont(
        font_manager.FontProperties(family=family), fallback_to_default=False
    )
    if os.path.realpath(found) != resolved:
        raise FontNotFoundError(
            f"matplotlib 将字体“{family}”解析到了其他文件：{found}，而不是 {path}。"
        )

    others = [f for f in matplotlib.rcParams["font.sans-serif"] if f != family]
    matplotlib.rcParams["font.family"] = ["sans-serif"]
    matplotlib.rcParams["font.sans-serif"] = [family, *others]
    matplotlib.rcParams["axes.unicode_minus"] = True
    return family
