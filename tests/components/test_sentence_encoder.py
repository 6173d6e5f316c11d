"""Tests for components/sentence_encoder.py: all-MiniLM-L6-v2 run with NumPy."""

from __future__ import annotations

import numpy as np
import pytest

from components.sentence_encoder import get_encoder


def test_vectors_are_unit_length_and_384_wide() -> None:
    vectors = get_encoder().encode(["my hip hurts", "hello"])

    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_paraphrase_is_closer_than_an_unrelated_sentence() -> None:
    router, reboot, hip = get_encoder().encode(
        ["how do i reset my router", "my wifi box needs a reboot", "my hip hurts on the stairs"]
    )

    assert router @ reboot > 0.5
    assert router @ reboot > router @ hip + 0.3


def test_padding_in_a_batch_does_not_change_a_sentence() -> None:
    short = "ok"
    long = "my lower back has been aching for three weeks whenever i get up from my desk"

    alone = get_encoder().encode([short])[0]
    batched = get_encoder().encode([long, short])[1]

    assert np.allclose(alone, batched, atol=1e-5)


@pytest.mark.parametrize("texts", [[], [""]])
def test_empty_input_is_handled(texts: list) -> None:
    assert get_encoder().encode(texts).shape == (len(texts), 384)
