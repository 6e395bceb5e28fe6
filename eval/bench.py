"""Every quality number the README quotes, in one run: Sporbar's own set, the external BEIR sets next to
their reference points, and the dedup curve. Timings are written too, but they vary; the slow scale
benchmark is a separate command.

    python -m eval.bench --external ../shared/bench [--results results]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Sequence
from pathlib import Path

from eval.dedup import dedup_table, run_dedup
from eval.report import Report, markdown_table, rows
from eval.run import CONFIGS, run_eval
from index.settings import Settings, load_settings

REFERENCES = Path(__file__).parent / "data" / "references.tsv"
EXTERNAL = ("swefaq", "norquad")
# The external sets are Swedish and Norwegian: also with the product's Danish analyzer, for comparison.
EXTERNAL_CONFIGS = (*CONFIGS, "lexical@da", "hybrid@da")


def references(path: Path = REFERENCES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def comparison(reports: Sequence[Report], refs: Sequence[dict[str, str]]) -> str:
    """nDCG@10 of Sporbar's configurations next to the reference points for the same data set."""
    lines = []
    for report in reports:
        body = [
            [f"Sporbar {name}", f"{values['ndcg@10']:.3f}", "this run"]
            for name, values in report.configs.items()
        ]
        body += [[r["system"], r["ndcg@10"], r["source"]] for r in refs if r["dataset"] == report.dataset]
        lines += [f"### {report.dataset}", "", markdown_table(["system", "nDCG@10", "source"], body), ""]
    return "\n".join(lines)


def summary(reports: Sequence[Report], dedup: dict[str, object], refs: Sequence[dict[str, str]]) -> str:
    first = reports[0]
    lines = [
        "# Sporbar benchmarks",
        "",
        f"Model {first.model}; commit {first.provenance['commit']} (dirty: {first.provenance['dirty']}); "
        f"{first.provenance['machine']}. Latency is per search call and varies between runs; the quality "
        "numbers repeat for the same data and settings.",
        "",
        "## Retrieval",
        "",
    ]
    for report in reports:
        lines += [
            f"### {report.dataset}: {report.queries} queries, {report.passages} passages, "
            f"analyzer {report.settings['analyzer_language']}, data {report.corpus_fingerprint}",
            "",
            markdown_table(*rows(report.configs)),
            "",
        ]
    lines += ["## Against reference points", "", comparison(reports[1:], refs)]
    lines += ["## Duplicate detection over OCR garbling", "", markdown_table(*dedup_table(dedup)), ""]
    return "\n".join(lines)


def run_bench(settings: Settings, external: Path, results: Path, progress: bool = False) -> str:
    reports = [run_eval(settings, None, "test", list(CONFIGS), results, progress=progress)]
    for name in EXTERNAL:
        reports.append(
            run_eval(settings, external / name, "test", EXTERNAL_CONFIGS, results, progress=progress)
        )
    dedup = run_dedup(results)
    text = summary(reports, dedup, references())
    (results / "summary.md").write_text(text, encoding="utf-8")
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m eval.bench", description="All quality benchmarks the README quotes, in one run."
    )
    parser.add_argument("--external", type=Path, required=True, help=f"folder holding {', '.join(EXTERNAL)}")
    parser.add_argument("--results", type=Path, default=Path("results"), help="folder for reports and runs")
    args = parser.parse_args(argv)
    missing = [name for name in EXTERNAL if not (args.external / name / "corpus.jsonl").is_file()]
    if missing:
        parser.error(f"no BEIR folder {', '.join(missing)} in {args.external}")
    print(run_bench(load_settings(), args.external, args.results, progress=sys.stderr.isatty()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
