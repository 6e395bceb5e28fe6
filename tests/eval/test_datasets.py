"""Data sets as data: BEIR folders, the quoted-span format, fingerprints and the corpus language."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from eval.datasets import Question, Quote, detect_language, fingerprint, load_beir, qrels_from_quotes

MINI = Path(__file__).resolve().parents[2] / "eval" / "data" / "kommune_mini"


def test_shipped_mini_set_loads_with_both_splits() -> None:
    test = load_beir(MINI)
    assert (len(test.corpus), len(test.queries)) == (12, 12)
    assert test.qrels["q06"] == {"d06": 2, "d07": 1}
    assert all(doc in test.corpus for rels in test.qrels.values() for doc in rels)
    dev = load_beir(MINI, "dev")
    assert set(dev.queries) == {"q09", "q12"}
    assert dev.fingerprint != test.fingerprint


def test_missing_split_is_reported() -> None:
    with pytest.raises(FileNotFoundError, match=r"qrels/train\.tsv"):
        load_beir(MINI, "train")


def test_fingerprint_follows_the_bytes(tmp_path: Path) -> None:
    copy = tmp_path / "kommune_mini"
    shutil.copytree(MINI, copy)
    assert load_beir(copy).fingerprint == load_beir(MINI).fingerprint
    qrels = copy / "qrels" / "test.tsv"
    qrels.write_text(qrels.read_text().replace("q01\td01\t2", "q01\td01\t1"))
    assert load_beir(copy).fingerprint != load_beir(MINI).fingerprint
    assert fingerprint([qrels]) == fingerprint([qrels])


def test_quotes_become_qrels_after_chunking() -> None:
    question = Question(
        "q1",
        "hvornår ryddes fortovet?",
        quotes=(Quote("a.txt", "senest klokken  syv", 2), Quote("a.txt", "Boligveje ryddes", 1)),
    )
    passages = {
        "a.txt": [
            ("p1", "Boligveje ryddes, når hovedvejene er farbare."),
            ("p2", "Grundejere rydder fortovet\nsenest klokken syv om morgenen. Boligveje ryddes sidst."),
            ("p3", "Intet om sne."),
        ],
        "b.txt": [("p4", "senest klokken syv")],  # another source: not relevant
    }
    assert qrels_from_quotes([question], passages) == {"q1": {"p1": 1, "p2": 2}}


def test_language_of_a_corpus() -> None:
    danish = [text for _, text in load_beir(MINI).corpus.values()]
    assert detect_language(danish) == "da"
    swedish = ["Du kan vaccinera dig, men det kan vara så att vaccinet inte ger lika bra effekt som annars."]
    assert detect_language(swedish) == "sv"
    norwegian = [
        "Regjeringen sier at de ikke vil endre skatten i år, men at de skal se nærmere på hvordan "
        "ordningen fungerer for barnefamilier og pensjonister."
    ]
    assert detect_language(norwegian) == "no"
    assert detect_language(["1234 5678"]) == ""
