"""The CJK font is found, registered with matplotlib, and renders Chinese labels."""
from __future__ import annotations

import io
import logging
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from budgetlib.reports import fonts  # noqa: E402

LABELS = ["三公经费", "人员经费", "公用经费", "项目支出"]
DEBIAN_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())


def _render_problems(family: str | None = None) -> list[str]:
    """Draw a chart with Chinese labels and a negative axis; return font warnings."""
    handler = _Records()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(handler)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fig, ax = plt.subplots(figsize=(4, 3))
            try:
                ax.bar(LABELS, [12.5, -3.25, 8.0, 20.0])
                ax.set_ylim(-10, 25)  # negative tick labels use U+2212
                ax.set_title("2024年“三公”经费支出（万元）")
                ax.set_ylabel("金额（万元）")
                if family is not None:
                    for text in [ax.title, ax.yaxis.label, *ax.get_xticklabels()]:
                        text.set_fontfamily(family)
                fig.savefig(io.BytesIO(), format="png")
            finally:
                plt.close(fig)
    finally:
        logger.removeHandler(handler)
    problems = [str(w.message) for w in caught] + handler.messages
    return [p for p in problems if "Glyph" in p or "findfont" in p or "missing" in p]


@pytest.fixture(autouse=True)
def _restore_rcparams(monkeypatch):
    monkeypatch.delenv(fonts.ENV_VAR, raising=False)
    with matplotlib.rc_context():
        yield


def test_chinese_labels_render_without_missing_glyphs():
    family = fonts.configure_matplotlib()
    assert matplotlib.rcParams["font.sans-serif"][0] == family
    assert matplotlib.rcParams["axes.unicode_minus"] is True
    assert _render_problems() == []


def test_detector_catches_missing_glyphs_with_a_latin_only_font():
    # Control: the same chart in DejaVu Sans must produce the warnings the
    # test above asserts are absent, or that test would prove nothing.
    fonts.configure_matplotlib()
    problems = _render_problems(family="DejaVu Sans")
    assert any("Glyph" in p and "missing" in p for p in problems), problems


def test_packaged_font_is_preferred_and_has_the_minus_sign():
    path = fonts.cjk_font_path()
    assert path.parent.name == "pylopdf_fonts_zh_cn", (
        f"expected the font from the PyPI package pylopdf-fonts-zh-cn, got {path}"
    )
    family = fonts.configure_matplotlib()
    assert family == "Noto Sans SC"
    font = font_manager.get_font(str(path))
    charmap = font.get_charmap()
    for char in "三公经费人员−":
        assert ord(char) in charmap, f"{char!r} missing from {path}"


def test_debian_noto_cjk_ttc_via_override_picks_simplified_chinese_face(monkeypatch):
    # Installed by scripts/install-system-deps.sh; Chromium needs it too.
    assert DEBIAN_TTC.is_file(), "fonts-noto-cjk missing: run scripts/install-system-deps.sh"
    monkeypatch.setenv(fonts.ENV_VAR, str(DEBIAN_TTC))
    assert fonts.cjk_font_path() == DEBIAN_TTC
    assert fonts.configure_matplotlib() == "Noto Sans CJK SC"
    assert _render_problems() == []


def test_configure_twice_registers_the_font_once():
    fonts.configure_matplotlib()
    resolved = str(fonts.cjk_font_path().resolve())
    before = sum(e.fname == resolved for e in font_manager.fontManager.ttflist)
    fonts.configure_matplotlib()
    after = sum(e.fname == resolved for e in font_manager.fontManager.ttflist)
    assert before == after >= 1


def test_missing_override_file_raises_with_install_hint(monkeypatch, tmp_path):
    monkeypatch.setenv(fonts.ENV_VAR, str(tmp_path / "nope.otf"))
    with pytest.raises(fonts.FontNotFoundError) as info:
        fonts.cjk_font_path()
    message = str(info.value)
    assert "nope.otf" in message
    assert "pip install pylopdf-fonts-zh-cn" in message
    assert "install-system-deps.sh" in message


def test_no_font_anywhere_raises(monkeypatch, tmp_path):
    monkeypatch.setattr(fonts, "PACKAGED_FONT", ("budgetlib_no_such_font_package", "x.otf"))
    monkeypatch.setattr(fonts, "SYSTEM_FONTS", (tmp_path / "missing.ttc",))
    with pytest.raises(fonts.FontNotFoundError, match="未找到可用的中文字体"):
        fonts.configure_matplotlib()
