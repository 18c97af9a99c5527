"""BERT's uncased WordPiece tokenizer in plain Python, reading the model's own `tokenizer.json`.

The `tokenizers` package would do the same, but it brings huggingface_hub (and an HTTP client) along;
this is the whole algorithm the file describes (BertNormalizer with lowercase and accent stripping,
BertPreTokenizer, WordPiece with '##' continuations, [CLS] … [SEP]), and a test checks it gives the same
ids as `tokenizers` on every sentence of the corpus when that package is installed.
"""

import json
import unicodedata
from functools import lru_cache
from pathlib import Path


def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in {"Cc", "Cf"}


def _is_whitespace(ch: str) -> bool:
    return ch in " \t\n\r" or unicodedata.category(ch) == "Zs"


def _is_punctuation(ch: str) -> bool:
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def _is_chinese(cp: int) -> bool:
    return (
        0x4E00 <= cp <= 0x9FFF
        or 0x3400 <= cp <= 0x4DBF
        or 0x20000 <= cp <= 0x2A6DF
        or 0x2A700 <= cp <= 0x2B73F
        or 0x2B740 <= cp <= 0x2B81F
        or 0x2B820 <= cp <= 0x2CEAF
        or 0xF900 <= cp <= 0xFAFF
        or 0x2F800 <= cp <= 0x2FA1F
    )


class WordPiece:
    def __init__(self, path: Path, max_tokens: int = 128):
        spec = json.loads(path.read_text(encoding="utf-8"))
        model = spec["model"]
        self.vocab: dict[str, int] = model["vocab"]
        self.unknown = self.vocab[model["unk_token"]]
        self.prefix = model["continuing_subword_prefix"]
        self.max_word = model["max_input_chars_per_word"]
        self.cls, self.sep = self.vocab["[CLS]"], self.vocab["[SEP]"]
        self.max_tokens = max_tokens
        self._word = lru_cache(maxsize=65536)(self._word_uncached)

    def normalise(self, text: str) -> str:
        out = []
        for ch in text:
            cp = ord(ch)
            if cp == 0 or cp == 0xFFFD or _is_control(ch):
                continue
            if _is_whitespace(ch):
                out.append(" ")
            elif _is_chinese(cp):
                out.append(f" {ch} ")
            else:
                out.append(ch)
        lowered = "".join(out).lower()
        return "".join(ch for ch in unicodedata.normalize("NFD", lowered) if unicodedata.category(ch) != "Mn")

    def words(self, text: str) -> list[str]:
        words = []
        for chunk in self.normalise(text).split():
            current = []
            for ch in chunk:
                if _is_punctuation(ch):
                    if current:
                        words.append("".join(current))
                        current = []
                    words.append(ch)
                else:
                    current.append(ch)
            if current:
                words.append("".join(current))
        return words

    def _word_uncached(self, word: str) -> tuple[int, ...]:
        if len(word) > self.max_word:
            return (self.unknown,)
        pieces = []
        start = 0
        while start < len(word):
            end = len(word)
            found = None
            while start < end:
                piece = word[start:end] if start == 0 else self.prefix + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return (self.unknown,)
            pieces.append(found)
            start = end
        return tuple(pieces)

    def encode(self, text: str) -> list[int]:
        """[CLS] word pieces [SEP], cut to `max_tokens` in all."""
        ids = [self.cls]
        budget = self.max_tokens - 2
        for word in self.words(text):
            ids.extend(self._word(word))
            if len(ids) - 1 >= budget:
                break
        return [*ids[: budget + 1], self.sep]
