"""Charts for the Word report, as PNG, drawn with matplotlib's headless Agg
backend. Chinese labels need a CJK font: one is looked for (SIFA_CJK_FONT, then
fonts matplotlib knows, then the usual system folders). Without one the charts
stay legible: months and offices are numbered, and the caption under the
picture (in the document, where Chinese always renders) names them."""

from __future__ import annotations

import glob
import logging
import os
from dataclasses import dataclass
from functools import lru_cache
from io import BytesIO

log = logging.getLogger("sifa.stats")

CJK_NAME_HINTS = (
    "notosanscjk",
    "noto sans cjk",
    "notoserifcjk",
    "noto serif cjk",
    "sourcehan",
    "source han",
    "wenquanyi",
    "wqy",
    "simhei",
    "simsun",
    "msyh",
    "microsoft yahei",
    "pingfang",
    "heiti",
    "droidsansfallback",
    "ar pl",
    "uming",
    "ukai",
    "sarasa",
    "fangsong",
    "fzhei",
)
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts", os.path.expanduser("~/.fonts"), "/System/Library/Fonts", "C:/Windows/Fonts")
PALETTE = ["#1f5fbf", "#e07b00", "#2a9d55", "#c0392b", "#7b4fb0", "#1a9aa8"]


@dataclass
class Chart:
    png: bytes
    cjk: bool  # True when the picture itself carries Chinese labels


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    env = os.environ.get("SIFA_CJK_FONT")
    if env and os.path.exists(env):
        return env
    try:
        from matplotlib import font_manager

        for f in font_manager.fontManager.ttflist:
            if any(h in (f.name or "").lower() or h in os.path.basename(f.fname).lower() for h in CJK_NAME_HINTS):
                return f.fname
    except Exception:  # noqa: BLE001 (a broken font cache must not break the report)
        log.warning("matplotlib font list unavailable; looking in font folders")
    for d in FONT_DIRS:
        for path in glob.glob(os.path.join(d, "**", "*.[ot]t[fc]"), recursive=True):
            if any(h.replace(" ", "") in os.path.basename(path).lower() for h in CJK_NAME_HINTS):
                return path
    return None


def _plt():
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def _font():
    path = cjk_font_path()
    if not path:
        return None
    try:
        from matplotlib import font_manager

        font_manager.fontManager.addfont(path)
        return font_manager.FontProperties(fname=path)
    except Exception:  # noqa: BLE001
        return None


def _save(fig) -> bytes:
    buf = BytesIO()
    fig.savefig(buf, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return buf.getvalue()


def _whole_numbers(ax, unit: str) -> None:
    """Counts (件, 人, 次) get whole-number ticks: no "2.5件" on an axis."""
    if unit not in ("%", "元"):
        from matplotlib.ticker import MaxNLocator

        ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def line_chart(months: list[int], series: list[tuple[str, list[float]]], *, unit: str = "") -> Chart:
    """Monthly trend: x = month numbers, one line per series."""
    plt = _plt()
    font = _font()
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    for i, (name, values) in enumerate(series):
        label = name if font else f"({i + 1})"
        ax.plot(range(len(values)), values, marker="o", linewidth=2, color=PALETTE[i % len(PALETTE)], label=label)
    ax.set_xticks(range(len(months)))
    ax.set_xticklabels([f"{m}月" if font else str(m) for m in months], fontproperties=font)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_ylim(bottom=0)
    _whole_numbers(ax, unit)
    if len(series) > 1:
        ax.legend(prop=font, frameon=False, fontsize=9)
    return Chart(_save(fig), bool(font))


def bar_chart(labels: list[str], values: list[float], *, unit: str = "") -> Chart:
    """Per-office comparison: one bar per office, value on top."""
    plt = _plt()
    font = _font()
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    xs = range(len(values))
    bars = ax.bar(xs, values, color=PALETTE[0], width=0.6)
    ax.set_xticks(list(xs))
    # Long names side by side overlap: slant them once there are more than a few.
    slant = bool(font) and (len(labels) > 4 or max((len(x) for x in labels), default=0) > 6)
    ax.set_xticklabels(
        labels if font else [str(i + 1) for i in xs],
        fontproperties=font,
        rotation=30 if slant else 0,
        ha="right" if slant else "center",
    )
    _whole_numbers(ax, unit)
    for b, v in zip(bars, values, strict=True):
        ax.annotate(f"{v:,.2f}" if unit == "%" else f"{v:,.0f}", (b.get_x() + b.get_width() / 2, b.get_height()), ha="center", va="bottom", fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return Chart(_save(fig), bool(font))
