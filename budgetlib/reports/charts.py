"""Charts of the reports. Chinese labels render through the project's CJK font.

Amounts are converted to float only here, for drawing; nothing drawn is summed
or compared. Comparison charts stay readable from 5 to thousands of
departments: ranked bars show the top N, distributions and bands summarise
the rest.
"""
from __future__ import annotations

from decimal import Decimal

import io
from dataclasses import dataclass

import matplotlib
import matplotlib.ticker
from matplotlib.figure import Figure

from budgetlib.reports.fonts import configure_matplotlib
from budgetlib.analysis.report_table import ReportTable
from budgetlib.reports.blocks import Note

TOP_N = 20
PALETTE = ["#2F5597", "#C55A11", "#548235", "#7F6000", "#7030A0", "#1F9E89"]


@dataclass
class Chart:
    """A figure that notebooks show as PNG. Figures are not pyplot-managed, so a
    long-running kernel keeps no reference to them."""

    figure: Figure

    def png(self) -> bytes:
        buffer = io.BytesIO()
        self.figure.savefig(buffer, format="png", dpi=110)
        return buffer.getvalue()

    def _repr_png_(self) -> bytes:
        return self.png()


def _figure(width: float, height: float):
    configure_matplotlib()
    fig = Figure(figsize=(width, height))
    return fig, fig.subplots()


def _num(value) -> float:
    return float(value) if isinstance(value, Decimal) else float(value or 0)


def _short(label: str, width: int = 14) -> str:
    return label if len(label) <= width else label[: width - 1] + "…"


def _split(total, basic, project) -> tuple[float, float]:
    """(基本, 项目) to draw for a class, or (0, 0) when the printed parts do not give the split:
    none printed, or the printed ones not adding up to the total (within 0.01 each)."""
    printed = [v for v in (basic, project) if v is not None]
    if not printed or abs(sum(printed, Decimal(0)) - Decimal(total)) > Decimal("0.01") * len(printed):
        return 0.0, 0.0
    return _num(basic), _num(project)


def function_class_chart(table: ReportTable) -> "Chart | Note":
    """Stacked horizontal bars: basic and project expenditure per function class."""
    rows = [r for r in table.rows if r[2]]
    if not rows:
        return Note("支出按功能分类：各类均未列示或为零，不绘图。")
    fig, ax = _figure(8, 0.5 * max(len(rows), 3) + 1.2)
    names = [_short(f"{r[0]} {r[1]}", 18) for r in rows][::-1]
    # A class whose split is not printed is drawn whole, as 未分基本/项目, never as a shifted bar.
    # One part printed and equal to the total (基本 9.30 = 合计 9.30, 项目 blank) is a split.
    split = [_split(r[2], r[3], r[4]) for r in rows][::-1]
    basic = [s[0] for s in split]
    project = [s[1] for s in split]
    whole = [_num(r[2]) if s == (0.0, 0.0) else 0.0 for r, s in zip(rows[::-1], split)]
    ax.barh(names, basic, color=PALETTE[0], label="基本支出")
    ax.barh(names, project, left=basic, color=PALETTE[1], label="项目支出")
    if any(whole):
        ax.barh(names, whole, color="#BBBBBB", hatch="//", label="未分基本/项目")
    ax.set_xlim(left=0)
    ax.set_xlabel("万元")
    ax.set_title("支出按功能分类（类级，万元）")
    ax.legend(loc="lower right")
    fig.tight_layout()
    return Chart(fig)


#: Segment colours of the 100% bars: 人员经费, 公用经费, 基本支出 (undivided), 项目支出.
SHARE_COLORS = {"人员经费": PALETTE[0], "公用经费": PALETTE[1], "基本支出（未分人员/公用）": "#8FAADC", "项目支出": PALETTE[2]}
UNLISTED = "未列示/其他"


def share_segments(personnel, public_use, basic, project) -> list[tuple[str, float]]:
    """The segments of one 100% bar, in a fixed order from 0: 人员经费 and 公用经费 (or 基本支出
    undivided where neither is printed), 项目支出, and what the printed shares leave
    (:data:`UNLISTED`); a missing share is never drawn as zero with the next one shifted."""
    segments: list[tuple[str, float]] = []
    if personnel is not None or public_use is not None:
        segments += [(k, _num(v)) for k, v in (("人员经费", personnel), ("公用经费", public_use)) if v is not None]
    elif basic is not None:
        segments.append(("基本支出（未分人员/公用）", _num(basic)))
    if project is not None:
        segments.append(("项目支出", _num(project)))
    rest = 1.0 - sum(v for _, v in segments)
    if rest > 0.005:
        segments.append((UNLISTED, rest))
    return segments


def _draw_segments(ax, y, segments: list[tuple[str, float]], labelled: set[str]) -> None:
    left = 0.0
    for label, value in segments:
        color = SHARE_COLORS.get(label, "#DDDDDD")
        hatch = "//" if label == UNLISTED else None
        ax.barh([y], [value], left=left, color=color, hatch=hatch, edgecolor="white", label=None if label in labelled else label)
        labelled.add(label)
        left += value


def structure_chart(table: ReportTable) -> "Chart | Note":
    """One 100% bar: personnel, public-use and project shares of expenditure."""
    parts = {r[0]: r[2] for r in table.rows}
    segments = share_segments(parts.get("人员经费"), parts.get("公用经费"), parts.get("基本支出"), parts.get("项目支出"))
    if not segments or segments == [(UNLISTED, 1.0)] or all(label == UNLISTED for label, _ in segments):
        return Note("支出结构：人员经费、公用经费、基本支出与项目支出的占比均未列示，不绘图。")
    fig, ax = _figure(8, 2.6)
    _draw_segments(ax, "", segments, set())
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("占支出合计的比例（%）")
    ax.set_title("支出结构（占支出合计）")
    handles, labels = ax.get_legend_handles_labels()
    shares = dict(segments)
    ax.legend(handles, [f"{l} {shares[l]:.1%}" for l in labels], loc="upper center", bbox_to_anchor=(0.5, -0.6), ncol=4, frameon=False)
    fig.tight_layout()
    return Chart(fig)


def three_public_chart(table: ReportTable) -> "Chart | Note":
    """Bars of the 三公 categories, this year against last year where the prose gives it.

    A blank category is marked 未列示 (no bar); where 公务用车购置及运维费 is blank but its
    parts are printed, the parts are drawn. All blank or zero: a sentence instead of a chart."""
    by_label = {r[0]: r for r in table.rows}
    wanted = ["因公出国（境）费", "公务用车购置及运维费", "公务接待费"]
    vehicle = by_label.get("公务用车购置及运维费")
    parts = [by_label[k] for k in ("公务用车购置费", "公务用车运行维护费") if k in by_label]
    if (vehicle is None or vehicle[1] is None) and any(p[1] is not None for p in parts):
        wanted[1:2] = [p[0] for p in parts]
    rows = [by_label[k] for k in wanted if k in by_label]
    if not any(r[1] or r[2] for r in rows):
        total = by_label.get("合计", (None, None))[1]
        if total:
            return Note(f"“三公”经费合计 {total:,.2f} 万元，各类别均未列示或为零，不绘图。")
        return Note("“三公”经费各类别均未列示或为零，不绘图。")
    fig, ax = _figure(8, 3.2)
    x = list(range(len(rows)))
    has_prior = any(r[2] is not None for r in rows)
    width = 0.4 if has_prior else 0.6
    offset = 0.2 if has_prior else 0.0
    for i, r in zip(x, rows):
        if r[1] is None:
            ax.text(i - offset, 0, "未列示", ha="center", va="bottom", fontsize=8, color="#777")
        else:
            ax.bar(i - offset, _num(r[1]), width=width, color=PALETTE[0], label="本年预算" if i == _first(rows, 1) else None)
        if has_prior:
            if r[2] is None:
                ax.text(i + offset, 0, "未列示", ha="center", va="bottom", fontsize=8, color="#777")
            else:
                ax.bar(i + offset, _num(r[2]), width=width, color=PALETTE[3], label="上年" if i == _first(rows, 2) else None)
    ax.set_xticks(x, [r[0] for r in rows])
    ax.set_xlim(-0.6, len(rows) - 0.4)
    ax.set_ylim(bottom=0)
    ax.set_ylabel("万元")
    ax.set_title("“三公”经费分类（万元）")
    ax.legend()
    fig.tight_layout()
    return Chart(fig)


def _first(rows: list, pos: int) -> int | None:
    """The index of the first row with a value at ``pos`` (the one that carries the legend label)."""
    return next((i for i, r in enumerate(rows) if r[pos] is not None), None)


def trend_chart(series: dict[str, list[tuple[int, Decimal | None]]], title: str) -> "Chart | Note":
    """Lines by year. Up to 10 series are drawn one by one; more become a median with a 25–75% band."""
    series = {k: [(y, v) for y, v in pts if v is not None] for k, pts in series.items()}
    series = {k: v for k, v in series.items() if any(p[1] for p in v)}
    if not series:
        return Note(f"{title}：各年度均未列示或为零，不绘图。")
    fig, ax = _figure(8, 3.6)
    if len(series) <= 10:
        for (name, points), color in zip(sorted(series.items()), matplotlib.colormaps["tab10"].colors):
            years = [p[0] for p in points]
            ax.plot(years, [_num(p[1]) for p in points], marker="o", color=color, label=_short(name, 16))
        ax.legend(fontsize=8, loc="best")
    else:
        import statistics

        years = sorted({y for pts in series.values() for y, _ in pts})
        med, low, high = [], [], []
        for y in years:
            vals = sorted(_num(v) for pts in series.values() for yy, v in pts if yy == y)
            q = statistics.quantiles(vals, n=4) if len(vals) > 1 else [vals[0]] * 3
            med.append(statistics.median(vals))
            low.append(q[0])
            high.append(q[2])
        ax.fill_between(years, low, high, color=PALETTE[0], alpha=0.2, label="25%–75% 部门")
        ax.plot(years, med, marker="o", color=PALETTE[0], label=f"中位数（{len(series)} 个部门）")
        ax.legend(fontsize=8)
    ax.set_xlabel("年度")
    ax.set_ylabel("万元")
    years = sorted({y for pts in series.values() for y, _ in pts})
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)  # one year alone would otherwise span a century
    ax.set_ylim(bottom=0)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_title(f"{title}（万元）")
    fig.tight_layout()
    return Chart(fig)


def ranked_bar_chart(labels: list[str], values: list[Decimal | None], title: str, top_n: int = TOP_N) -> "Chart | Note":
    """The top N departments by a figure, largest first; the rest are counted in the title."""
    pairs = sorted(((l, _num(v)) for l, v in zip(labels, values) if v is not None), key=lambda p: -p[1])
    shown = pairs[:top_n]
    if not any(v for _, v in shown):
        return Note(f"{title}：各部门均未列示或为零，不绘图。")
    fig, ax = _figure(8, 0.4 * max(len(shown), 3) + 1.2)
    ax.barh([_short(l, 18) for l, _ in shown][::-1], [v for _, v in shown][::-1], color=PALETTE[0])
    ax.set_xlabel("万元")
    ax.set_xlim(left=0)
    suffix = f"（前 {len(shown)} 名，共 {len(pairs)} 个）" if len(pairs) > len(shown) else ""
    ax.set_title(title + suffix)
    fig.tight_layout()
    return Chart(fig)


def distribution_chart(values: dict[str, list[Decimal | None]], title: str) -> "Chart | Note":
    """Histograms of shares across departments (readable at any number of departments)."""
    data = {k: [_num(v) for v in vs if v is not None] for k, vs in values.items()}
    if not any(any(vs) for vs in data.values()):
        return Note(f"{title}：各部门的占比均未列示，不绘图。")
    fig, ax = _figure(8, 3.4)
    bins = [i / 20 for i in range(21)]
    for (label, vals), color in zip(data.items(), PALETTE):
        if vals:
            ax.hist(vals, bins=bins, alpha=0.55, color=color, label=f"{label}（{len(vals)} 个）")
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("占支出合计的比例（%）")
    ax.set_ylabel("部门数（个）")
    ax.set_title(title)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return Chart(fig)


def stacked_share_chart(labels: list[str], parts: dict[str, list[Decimal | None]], title: str, top_n: int = TOP_N) -> "Chart | Note":
    """100% stacked bars of the shares, for the first ``top_n`` departments given.

    ``parts``: 人员经费, 公用经费, 项目支出 (and 基本支出, drawn undivided where a department
    prints neither 人员经费 nor 公用经费), one share per label. Every bar starts at 0 and
    ends at 100%; what the printed shares leave is drawn as 未列示/其他."""
    labels = labels[:top_n]
    bars = []
    for i in range(len(labels)):
        share = {k: (vals[i] if i < len(vals) else None) for k, vals in parts.items()}
        bars.append(share_segments(share.get("人员经费"), share.get("公用经费"), share.get("基本支出"), share.get("项目支出")))
    if not labels or all(all(label == UNLISTED for label, _ in b) for b in bars):
        return Note(f"{title}：各部门的支出结构均未列示，不绘图。")
    fig, ax = _figure(8, 0.4 * max(len(labels), 3) + 1.6)
    names = [_short(l, 18) for l in labels]
    labelled: set[str] = set()
    for name, segments in zip(names, bars):
        _draw_segments(ax, name, segments, labelled)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.set_xlabel("占支出合计的比例（%）")
    ax.set_title(title)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False, fontsize=8)
    fig.tight_layout()
    return Chart(fig)
