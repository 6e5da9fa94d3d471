"""Check-worthiness: a score from 0 to 1 for each English sentence, from weights shipped as plain numbers.

The model (``intake/model/checkworthiness.json``, written by ``manage.py train_checkworthiness``) is a
logistic regression over TF-IDF word 1-2-grams, TF-IDF character 2-5-grams, a few hand features and the
sentence's wordllama embedding. Scoring needs NumPy only: no scikit-learn, no pickle.
"""

import functools
import json
import math
import re
from collections import Counter
from pathlib import Path

import numpy as np

from . import embeddings, features

MODEL_PATH = Path(__file__).parent / "model" / "checkworthiness.json"


class TfidfBlock:
    """One TF-IDF feature block: sublinear term counts times idf, L2-normalised, dotted with the weights."""

    def __init__(self, block, analyzer):
        self.index = {term: i for i, term in enumerate(block["terms"])}
        self.idf = np.asarray(block["idf"], dtype=np.float64)
        self.coef = np.asarray(block["coef"], dtype=np.float64)
        self.weight = block.get("weight", 1.0)
        self.analyzer = analyzer

    def contribution(self, text):
        counts = Counter(i for i in map(self.index.get, self.analyzer(text)) if i is not None)
        if not counts:
            return 0.0
        ids = np.fromiter(counts, dtype=np.int64, count=len(counts))
        tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
        values = tf * self.idf[ids]
        return self.weight * float(values @ self.coef[ids]) / float(np.linalg.norm(values))


class Model:
    def __init__(self, data):
        self.word = TfidfBlock(data["word"], features.word_ngrams)
        self.char = TfidfBlock(data["char"], features.char_ngrams)
        self.hand_coef = np.asarray(data["hand"]["coef"], dtype=np.float64)
        self.embedding_coef = np.asarray(data["embedding"]["coef"], dtype=np.float64)
        self.intercept = data["intercept"]

    def scores(self, texts, vectors=None):
        """Scores in [0, 1] for English ``texts``; ``vectors`` are their embeddings when already computed."""
        if vectors is None:
            vectors = embeddings.embed(texts)
        dense = vectors.astype(np.float64) @ self.embedding_coef
        results = []
        for text, from_embedding in zip(texts, dense, strict=True):
            z = (
                self.intercept + from_embedding + self.word.contribution(text) + self.char.contribution(text)
                + float(np.dot(features.hand_features(text), self.hand_coef))
            )
            results.append(1.0 / (1.0 + math.exp(-z)))
        return results


@functools.cache
def model():
    return Model(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


# Which language a sentence is in, coarsely: English is scored, anything else is left unscored.
_LATIN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ɏ]")
_LETTER = re.compile(r"[^\W\d_]")
_ENGLISH = frozenset(
    "the a an of to in and is are was were be been has have had it its this that these those with for on at by "
    "from as not but or he she they we you i his her their our who which what will would can could said says "
    "than there about after before into over more most also no only all".split()
)
_OTHER = frozenset(
    "le la les des et est une du au aux sont pas qui dans pour avec sur el los las y es que por para con una "
    "del se lo der die das und ist nicht ein eine mit auf den dem zu von il di che della sono per non het een "
    "van op zijn niet em não uma com os ao da do na dos".split()
)


def is_english(text):
    """True when the sentence reads as English: mostly Latin letters and more English function words than
    those of other Western languages. Short fragments without either count as English."""
    letters = _LETTER.findall(text)
    if not letters or len(_LATIN.findall(text)) < 0.8 * len(letters):
        return False
    words = re.findall(r"[^\W\d_]+", text.lower())
    english = sum(w in _ENGLISH for w in words)
    other = sum(w in _OTHER for w in words)
    return english > other or (english == other == 0 and len(words) < 6)


def score_sentences(texts, vectors=None, *, language="en"):
    """A score for each English sentence and None for any other: never a made-up number."""
    if vectors is None:
        vectors = embeddings.embed(texts)
    if not (language or "en").lower().startswith("en"):
        return [None] * len(texts)
    english = [i for i, text in enumerate(texts) if is_english(text)]
    scored = model().scores([texts[i] for i in english], vectors[english]) if english else []
    results = [None] * len(texts)
    for i, score in zip(english, scored, strict=True):
        results[i] = score
    return results
