"""The duplicate detection benchmark: its generated set, its scoring, and one small real ingest."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from eval.dedup import GenDoc, base_set, detect, generated_set, main, score
from ingest.dedup import DOC_THRESHOLD, jaccard, key_shingles


def test_generated_set_has_true_copies_and_near_misses() -> None:
    clean, near = base_set()
    assert len(clean) >= 15 and {d.kind for d in near} == {"letter", "quoting"}
    keys = {d.name: key_shingles(d.text) for d in [*clean, *near]}
    for a, b in combinations(keys, 2):  # no two documents of the base set are copies of each other
        assert jaccard(keys[a], keys[b]) < DOC_THRESHOLD, (a, b)
    docs = generated_set(clean, near, 0.2)
    copies = [d for d in docs if d.kind == "garbled"]
    assert len(copies) == len(clean) and all(c.family == o.family for c, o in zip(copies, clean, strict=True))
    assert generated_set(clean, near, 0.2) == docs  # seeded


def test_pair_scoring() -> None:
    docs = [
        GenDoc("c1", "f1", "clean", ""),
        GenDoc("g1", "f1", "garbled", ""),
        GenDoc("c2", "f2", "clean", ""),
    ]
    docs += [GenDoc("g2", "f2", "garbled", ""), GenDoc("l1", "l1", "letter", "")]
    texts = {d.name: d.name for d in docs}
    result = score(docs, {"g1": "c1", "l1": "c2"}, texts)
    assert (result["precision"], result["recall"]) == (0.5, 0.5)
    assert result["false_pairs"] == "clean+letter" and result["clean_canonical"] == "2/2"
    assert score(docs, {}, texts)["precision"] is None


def test_real_ingest_finds_the_garbled_copy_and_not_the_letters(tmp_path: Path) -> None:
    clean, near = base_set()
    docs = generated_set(clean[:3], [d for d in near if d.kind == "letter"][:3], 0.1)
    duplicate_of, texts = detect(docs, tmp_path)
    assert duplicate_of == {f"garbled-{i:02d}": f"clean-{i:02d}" for i in range(3)}
    assert set(texts) == {d.name for d in docs}


def test_command_writes_curve_and_plot(tmp_path: Path) -> None:
    assert main(["--rates", "0.3", "--results", str(tmp_path), "--json"]) == 0
    report = json.loads((tmp_path / "dedup" / "report.json").read_text())
    (row,) = report["curve"]
    assert row["rate"] == 0.3 and row["true_pairs"] == len(base_set()[0])
    assert 0 <= row["recall"] <= 1
    assert report["settings"]["doc_threshold"] == DOC_THRESHOLD and report["provenance"]["commit"]
    assert (tmp_path / "dedup" / "report.png").read_bytes()[:4] == b"\x89PNG"
