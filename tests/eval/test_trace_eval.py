"""The recommendation linking benchmark with the table pairing hidden."""

from __future__ import annotations

import pytest

from eval.trace import evaluate_linking
from tests.support import CORPUS


def test_every_paired_row_is_scored_once() -> None:
    result = evaluate_linking(CORPUS, "fake")
    assert result["rows"] == 17  # every row of the seed follow-up table, the split one included
    assert 0 <= result["top1_accuracy"] <= 1  # type: ignore[operator]


@pytest.mark.integration
def test_linking_with_the_real_model_stays_above_its_measured_level() -> None:
    result = evaluate_linking(CORPUS, "onnx")
    assert result["rows"] == 17
    # Measured 17 of 17; 11 of 17 without the one-to-one matching.
    assert result["top1_accuracy"] >= 0.9, result["misses"]
