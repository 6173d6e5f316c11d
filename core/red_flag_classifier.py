"""A statistical second opinion for red flags the written rules do not recognise.

Patients describe warning signs in more ways than rules can list ("the old fella won't work",
"she's hirplin aboot"). This classifier has read examples of every red flag in many voices
(data/red_flags/*.yml) and ordinary messages (the NLU training data), and gives a level for the
message: emergency, urgent or none. It is used only where the rules found nothing at all, and
only for a statement the person makes about now: the clause that most reads like a red flag must
not deny it, put it in the past or ask about it hypothetically (core/mention_status.py), since
a word-based model cannot tell "no numbness" from "numbness".

Character and word n-grams (TF-IDF) with logistic regression, from scikit-learn (already a
dependency of Rasa): small, fast (well under a millisecond a message) and easy to retrain.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

import yaml
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_union

from core.knowledge import get_knowledge
from core.mention_status import CURRENT, clauses, statement_status
from core.red_flags import prepare

NONE = "none"
LEVELS = ("emergency", "urgent")
Example = Tuple[str, str]


@dataclass(frozen=True)
class ClassifierOpinion:
    """How sure the classifier is that a message reports a red flag now, and at which level."""

    alert_probability: float
    level: Optional[str]


def build_pipeline() -> Pipeline:
    """The untrained model: character n-grams catch misspellings, word n-grams the phrasing."""
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True),
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
    )
    model = LogisticRegression(C=10, max_iter=2000, class_weight="balanced")
    return Pipeline([("features", features), ("model", model)])


def examples_from_sets(paths: Iterable[Path]) -> List[Example]:
    """(text, level) pairs from red-flag example sets (data/red_flags/*.yml): each red-flag
    message at the first level its writer listed, every other message as "none"."""
    examples: List[Example] = []
    for path in sorted(paths):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        examples += [(case["text"], case["acceptable"][0]) for case in content["red_flags"]]
        examples += [(case["text"], NONE) for case in content["negated"] + content["openers"]]
    return examples


def mentions_a_cue(text: str) -> bool:
    """Whether the message names a body function, a sign or a risk (the content file's
    `red_flag_cues`), so a statistical guess about it may be acted on."""
    cues = get_knowledge().red_flag_cues
    return bool(cues and cues.search(prepare(text)))


class RedFlagClassifier:
    """Trained on (text, level-or-none) examples; reads messages in their regular form."""

    def __init__(self, pipeline: Optional[Pipeline] = None) -> None:
        self.pipeline = pipeline or build_pipeline()

    def train(self, examples: Sequence[Tuple[str, str]]) -> RedFlagClassifier:
        """Fits the model on (text, "emergency" | "urgent" | "none") pairs."""
        texts = [prepare(text) for text, _ in examples]
        self.pipeline.fit(texts, [label for _, label in examples])
        return self

    def _probabilities(self, regular_texts: List[str]) -> List[Dict[str, float]]:
        classes = list(self.pipeline.classes_)
        return [
            dict(zip(classes, row, strict=True))
            for row in self.pipeline.predict_proba(regular_texts)
        ]

    def opinion(self, text: str) -> ClassifierOpinion:
        """The classifier's view of the message's most red-flag-like clause, if that clause is
        a statement about now; otherwise no alert."""
        parts = clauses(prepare(text))
        if not parts:
            return ClassifierOpinion(0.0, None)
        probabilities = self._probabilities([clause for _, clause in parts] + [prepare(text)])
        whole = probabilities[-1]
        strongest = max(range(len(parts)), key=lambda index: 1 - probabilities[index][NONE])
        following = " ".join(clause for _, clause in parts[strongest + 1 :])
        if statement_status(parts[strongest][1], following) != CURRENT:
            return ClassifierOpinion(0.0, None)
        alert = 1 - whole.get(NONE, 0.0)
        level = max(LEVELS, key=lambda name: whole.get(name, 0.0))
        return ClassifierOpinion(alert, level)


MODEL_FILE = "red_flag_classifier.skops"
# What a saved model may contain beyond scikit-learn's own estimators (skops refuses anything
# not trusted: a model file is never a way to run code).
TRUSTED_TYPES = {"scipy.sparse._csr.csr_matrix"}


def save(classifier: RedFlagClassifier, directory: Path) -> None:
    """Writes the trained model into a folder (Rasa's model storage)."""
    import skops.io

    skops.io.dump(classifier.pipeline, directory / MODEL_FILE)


def load(directory: Path) -> RedFlagClassifier:
    """Reads a model `save` wrote; refuses a file holding types it does not expect."""
    import skops.io

    path = directory / MODEL_FILE
    untrusted = set(skops.io.get_untrusted_types(file=path))
    if untrusted - TRUSTED_TYPES:
        raise ValueError(f"{path} holds unexpected types: {sorted(untrusted - TRUSTED_TYPES)}")
    return RedFlagClassifier(skops.io.load(path, trusted=sorted(untrusted)))
