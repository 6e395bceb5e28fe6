"""The OCR repair benchmark: damaged held-out text is mostly restored and intact words are left alone."""

from __future__ import annotations

import json

from eval.ocr_repair import TEXTS, measure


def test_repair_restores_most_damaged_words_and_breaks_none() -> None:
    texts = [json.loads(line)["text"] for line in TEXTS.read_text(encoding="utf-8").splitlines()[:6]]
    report = measure(texts, seeds=(0,))
    assert report["damaged_words"] > 50
    assert report["restored"] >= 0.85
    assert report["broken"] <= 0.005
