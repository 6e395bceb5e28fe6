"""Plots for the benchmark reports (matplotlib, drawn off-screen to PNG files)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

QUALITY = ("ndcg@10", "recall@1", "recall@5", "recall@10", "mrr@10")
LATENCY = ("p50_ms", "p95_ms")


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def retrieval_plot(title: str, configs: Mapping[str, Mapping[str, float]], path: Path) -> None:
    """Quality metrics per configuration as grouped bars, and query latency beside them."""
    plt = _pyplot()
    names = list(configs)
    fig, (quality, latency) = plt.subplots(1, 2, figsize=(11, 4), gridspec_kw={"width_ratios": [3, 1]})
    width = 0.8 / max(len(names), 1)
    for i, name in enumerate(names):
        xs = [m + i * width for m in range(len(QUALITY))]
        quality.bar(xs, [configs[name].get(m, 0.0) for m in QUALITY], width, label=name)
        latency.bar(
            [x + i * width for x in range(len(LATENCY))],
            [configs[name].get(m, 0.0) for m in LATENCY],
            width,
            label=name,
        )
    center = width * (len(names) - 1) / 2
    quality.set_xticks([m + center for m in range(len(QUALITY))], QUALITY)
    quality.set_ylim(0, 1)
    quality.set_title(title)
    latency.set_xticks([x + center for x in range(len(LATENCY))], ["p50", "p95"])
    latency.set_ylabel("ms per query")
    latency.set_title("latency")
    handles, labels = quality.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=min(len(names), 6), fontsize="small", frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)


def curve_plot(
    title: str, xs: Sequence[float], series: Mapping[str, Sequence[float | None]], xlabel: str, path: Path
) -> None:
    """Lines of values (None: undefined, not drawn) over one x axis."""
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4))
    for label, ys in series.items():
        ax.plot(xs, [float("nan") if y is None else y for y in ys], marker="o", label=label)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
