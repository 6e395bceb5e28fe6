"""The retrieval benchmark's command line: `sporbar eval …` and `python -m eval …` share it."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.report import Report, terminal_table
from index.settings import Settings, load_settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--dataset", type=Path, default=None, help="a BEIR-format folder (default: Sporbar's set)"
    )
    parser.add_argument("--split", default="test", help="the qrels file qrels/SPLIT.tsv (default test)")
    parser.add_argument(
        "--configs",
        default="lexical,dense,hybrid,hybrid-nosections",
        help="comma-separated; a name may end in @da, @sv or @no to fix the lexical analyzer's language",
    )
    parser.add_argument(
        "--language",
        choices=["auto", "da", "sv", "no"],
        default="auto",
        help="the lexical analyzer's language (default: Danish for Sporbar's set, else the corpus's)",
    )
    parser.add_argument("--results", type=Path, default=Path("results"), help="folder for reports and runs")


def run(args: argparse.Namespace, settings: Settings) -> Report:
    """Check the arguments (ValueError with the reason for a usage error), then run the benchmark."""
    from eval.datasets import beir_files
    from eval.run import parse_config, run_eval

    names = [n.strip() for n in args.configs.split(",") if n.strip()]
    try:
        for name in names or [""]:
            parse_config(name)
        if args.dataset is not None:
            beir_files(args.dataset, args.split)
        elif args.split != "test":
            raise ValueError(f"Sporbar's own set has only the split 'test', not {args.split!r}")
    except FileNotFoundError as exc:
        raise ValueError(str(exc)) from exc
    progress = settings.progress and sys.stderr.isatty()
    return run_eval(settings, args.dataset, args.split, names, args.results, args.language, progress)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description="Retrieval benchmark.")
    parser.add_argument("--data-dir", type=Path, default=None, help="settings as for sporbar")
    parser.add_argument("--json", action="store_true", help="print JSON")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        report = run(args, load_settings(args.data_dir))
    except ValueError as exc:
        print(f"python -m eval: {exc}", file=sys.stderr)
        return 2
    print(json.dumps(report.public(), ensure_ascii=False, indent=2) if args.json else terminal_table(report))
    return 0
