"""The GPU benchmark says plainly when there is no CUDA device, and measures nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import gpu_speed


def test_without_cuda_it_exits_2_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a CUDA device is present: the benchmark would run")
    assert gpu_speed.main(["--results", str(tmp_path)]) == 2
    assert "no CUDA device" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())
