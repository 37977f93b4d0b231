"""Multinomial logistic regression on a message's sparse sentence features, kept as plain weights.

Shared by the linear classifiers (:mod:`nlu.linear_intent_classifier`,
:mod:`nlu.faq_topic_selector`): the features are the message's sentence-level
sparse features (morpheme and character n-gram counts), scaled as log counts and
L2-normalised; the fitted model is kept as numpy arrays and a JSON label list
(no pickle) and predicts with one sparse matrix product and a softmax.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import numpy as np
import scipy.sparse
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

# ``C``: inverse regularisation strength; ``max_iter``: solver iterations; ``class_weight``: as scikit-learn's
REGRESSION_DEFAULTS: Dict[str, Any] = {"C": 20.0, "max_iter": 3000, "class_weight": "balanced"}

WEIGHTS = "weights.npy"
BIAS = "bias.npy"
LABELS = "labels.json"


def sentence_vector(message: Message) -> Optional[scipy.sparse.csr_matrix]:
    """The message's sparse sentence features (all featurizers), log-scaled and L2-normalised; None without any."""
    sequence, sentence = message.get_sparse_features(TEXT)
    if sentence is not None:
        vector = scipy.sparse.csr_matrix(sentence.features)
    elif sequence is not None:
        vector = scipy.sparse.csr_matrix(sequence.features.sum(axis=0))
    else:
        return None
    vector = vector.astype(np.float64)
    vector.data = np.log1p(np.abs(vector.data))
    norm = np.sqrt(vector.multiply(vector).sum())
    return vector / norm if norm > 0 else vector


@dataclass
class SoftmaxWeights:
    """A fitted regression: ``weights`` (labels × features), ``bias`` and the ``labels``."""

    weights: np.ndarray
    bias: np.ndarray
    labels: List[str]

    @classmethod
    def fit(cls, rows: Sequence[scipy.sparse.csr_matrix], targets: Sequence[str], config: Dict[str, Any]
            ) -> "SoftmaxWeights":
        """Fit on sentence vectors and their labels (``C``, ``max_iter``, ``class_weight`` from ``config``)."""
        from sklearn.linear_model import LogisticRegression

        model = LogisticRegression(C=config["C"], max_iter=config["max_iter"], class_weight=config["class_weight"])
        model.fit(scipy.sparse.vstack(rows).tocsr(), list(targets))
        return cls(model.coef_.astype(np.float32), model.intercept_.astype(np.float32),
                   [str(label) for label in model.classes_])

    def ranking(self, vector: scipy.sparse.csr_matrix, length: int) -> List[Tuple[str, float]]:
        """The ``length`` most probable labels with their probabilities, best first."""
        scores = np.asarray(vector @ self.weights.T).ravel() + self.bias
        scores = np.exp(scores - scores.max())
        probabilities = scores / scores.sum()
        return [(self.labels[i], float(probabilities[i])) for i in np.argsort(-probabilities)[:length]]

    def save(self, directory: Path) -> None:
        """Weights and bias as .npy arrays, the labels as JSON."""
        np.save(directory / WEIGHTS, self.weights, allow_pickle=False)
        np.save(directory / BIAS, self.bias, allow_pickle=False)
        (directory / LABELS).write_text(json.dumps(self.labels, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> "SoftmaxWeights":
        """What :meth:`save` wrote.

        Raises:
            OSError, ValueError: nothing (or something else) was saved there.
        """
        return cls(np.load(directory / WEIGHTS, allow_pickle=False), np.load(directory / BIAS, allow_pickle=False),
                   json.loads((directory / LABELS).read_text(encoding="utf-8")))
