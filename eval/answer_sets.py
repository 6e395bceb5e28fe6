"""The answer benchmark's second part: what an answer quotes, over the seed corpus and the answer documents of
`eval/data/answer_docs/` (realistic Danish documents in several styles; `heldout/` to `heldout9/` were each
written before the answer code they score was tuned, and are reported apart).

    python -m eval.answer_sets [--data-dir DIR] [--json] [--out results/answer_sets.json]

- action questions ("what did X do / promise / decide"): answered right when a citation overlaps a gold
  action sentence (`action_qa.jsonl`, `action_heldout.jsonl`); `first_right` also counts the answers whose
  first quote, the line a reader sees first, does;
- keyword queries (`keyword_queries.jsonl`): right when the answer is excerpts whose every quote mentions
  one of the query's terms;
- meaningless and hostile input (`meaningless.jsonl`): right when declined (found false, or refused);
- unanswerable questions (`unanswerable.jsonl`): right when declined; also those phrased as action
  questions about things the documents never mention (`unanswerable_action.jsonl`);
- the second to ninth held-out sets: action and unanswerable questions over `heldout2/` to `heldout9/`
  (`action_heldoutN.jsonl`, `unanswerable_heldoutN.jsonl`), scored as above.

Each set runs extractive, and generated against the local fake chat server (`eval/fake_chat.py`) with a
model that quotes the passage sentences sharing most words with the question and invents one quote besides.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from eval.answers import CORPUS, DATA, cites, cites_first, load_unanswerable, open_ingested, relevant_spans
from eval.datasets import Question, load_questions
from eval.fake_chat import INVENTED, FakeChat
from index.answer import Answer
from index.llm import ChatModel
from index.question import MarkupOnly
from index.respond import answer_events, final
from index.search import Searcher

ANSWER_DOCS = DATA / "answer_docs"
ACTION_SET = DATA / "action_qa.jsonl"
HELDOUT_SET = DATA / "action_heldout.jsonl"
KEYWORDS = DATA / "keyword_queries.jsonl"
MEANINGLESS = DATA / "meaningless.jsonl"
UNANSWERABLE_ACTION = DATA / "unanswerable_action.jsonl"
# The later held-out sets, each written before the answer code they score was changed: number -> (action
# questions, unanswerable questions) over `answer_docs/heldoutN/`.
HELDOUT_SETS = {
    n: (DATA / f"action_heldout{n}.jsonl", DATA / f"unanswerable_heldout{n}.jsonl") for n in range(2, 10)
}
K = 5


@dataclass(frozen=True)
class Keyword:
    qid: str
    text: str
    terms: tuple[str, ...]


def load_keywords(path: Path = KEYWORDS) -> list[Keyword]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Keyword(i["id"], i["question"], tuple(i["terms"])) for i in items]


def load_meaningless(path: Path = MEANINGLESS) -> list[Question]:
    items = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Question(i["id"], i["question"], "", tuple(i.get("tags", ()))) for i in items]


def _ask(searcher: Searcher, text: str, model: ChatModel | None) -> Answer | None:
    """The answer, or None when the input is refused (markup only)."""
    try:
        return final(answer_events(searcher, text, K, None, model))
    except MarkupOnly:
        return None


def _rate(rows: Sequence[dict[str, object]]) -> float:
    return sum(bool(r["right"]) for r in rows) / len(rows) if rows else 0.0


def _rows(
    items: Sequence[Question | Keyword], answers: Sequence[Answer | None], right: Callable[..., bool]
) -> list[dict[str, object]]:
    return [
        {
            "id": item.qid,
            "right": right(item, answer),
            "found": bool(answer and answer.found),
            "mode": answer.mode if answer else "refused",
            "citations": [f"{c.source}:{c.start}-{c.end}" for c in answer.citations] if answer else [],
        }
        for item, answer in zip(items, answers, strict=True)
    ]


def run_sets(searcher: Searcher, model: ChatModel | None) -> dict[str, object]:
    """Every set answered once in one mode; rates and rows."""
    record = searcher.record

    def action_right(q: Question, a: Answer | None) -> bool:
        return a is not None and cites(a, relevant_spans(record, q))

    def keyword_right(q: Keyword, a: Answer | None) -> bool:
        return (
            a is not None
            and a.found
            and a.mode == "excerpts"
            and all(any(t in c.quote.lower() for t in q.terms) for c in a.citations)
        )

    def declined(_: object, a: Answer | None) -> bool:
        return a is None or not a.found

    report: dict[str, object] = {}
    sets: list[tuple[str, Sequence[Question | Keyword], Callable[..., bool]]] = [
        ("action", load_questions(ACTION_SET), action_right),
        ("action_heldout", load_questions(HELDOUT_SET), action_right),
        ("keyword", load_keywords(), keyword_right),
        ("meaningless", load_meaningless(), declined),
        ("unanswerable", load_unanswerable(), declined),
        ("unanswerable_action", load_unanswerable(UNANSWERABLE_ACTION), declined),
    ]
    for n, (actions, unanswerable) in HELDOUT_SETS.items():
        sets += [
            (f"action_heldout{n}", load_questions(actions), action_right),
            (f"unanswerable_heldout{n}", load_unanswerable(unanswerable), declined),
        ]

    def first_right(q: Question, a: Answer | None) -> bool:
        return a is not None and cites_first(a, relevant_spans(record, q))

    invented = 0
    for name, items, right in sets:
        answers = [_ask(searcher, item.text, model) for item in items]
        invented += sum(INVENTED in a.answer for a in answers if a is not None)
        rows = _rows(items, answers, right)
        report[name] = {"n": len(rows), "right": _rate(rows), "questions": rows}
        if name.startswith("action"):
            firsts = [
                isinstance(q, Question) and first_right(q, a) for q, a in zip(items, answers, strict=True)
            ]
            report[name]["first_right"] = sum(firsts) / len(firsts) if firsts else 0.0  # type: ignore[index]
            report[name]["generated"] = sum(r["mode"] == "generated" for r in rows)  # type: ignore[index]
    report["invented_quotes_shown"] = invented
    return report


def run_both(searcher: Searcher, modes: Sequence[str] = ("extractive", "generated")) -> dict[str, object]:
    """The sets extractive, and generated with the fake chat server's inventing model."""
    with FakeChat() as chat:
        models = {"extractive": None, "generated": ChatModel(chat.url, "inventing", timeout=10.0)}
        return {mode: run_sets(searcher, models[mode]) for mode in modes}


def summary(report: dict[str, object]) -> str:
    lines = []
    for mode, sets in report.items():
        assert isinstance(sets, dict)
        rates = ", ".join(
            f"{name} {s['right']:.3f}"
            + (f" (first quote {s['first_right']:.3f})" if "first_right" in s else "")
            + f" (n={s['n']})"
            for name, s in sets.items()
            if isinstance(s, dict)
        )
        lines.append(f"{mode}: {rates}; invented quotes shown: {sets['invented_quotes_shown']}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval.answer_sets", description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=None, help="an index to use (new files ingested)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--out", type=Path, default=Path("results/answer_sets.json"))
    parser.add_argument("--modes", default="extractive,generated", help="extractive, generated or both")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sporbar-answer-sets-") as tmp:
        index = open_ingested(args.data_dir or Path(tmp), (CORPUS, ANSWER_DOCS))
        report = run_both(index.searcher, args.modes.split(","))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else summary(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
