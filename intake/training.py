"""Training the check-worthiness model (``manage.py train_checkworthiness``). Needs scikit-learn, which is a
development requirement only: the app scores with the numbers this writes (``checkworthiness.py``).

Data (``../shared/data/checkworthiness/`` and ``../shared/data/claim-matching/``): ClaimBuster's two-class file,
and 3,000 claims Snopes checked as news-register positives. The CLEF CheckThat! 2019 training debates are not
learnt from: each marks the few sentences one outlet chose to check, so most checkable statements in them are
negatives, and a model trained on them learnt that a plain reported event is not worth checking. Left out, they
measure the model: MAP on all 19 debates, and on the three (every fifth by file name) that earlier models held
out, for comparison (0.157 with the other debates learnt from, 0.177 without; README, "Intake").
"""

import json

import numpy as np

from . import datasets, embeddings, features

C = 4.0
CHAR_WEIGHT = 0.7  # the character n-grams count a little less than the words (best in ClaimBuster's CV)
CHAR_FEATURES = 50_000
FOLDS = 4


def held_out_debates(names):
    return [name for i, name in enumerate(sorted(names)) if i % 5 == 4]


def _vectorizers():
    from sklearn.feature_extraction.text import TfidfVectorizer

    word = TfidfVectorizer(analyzer=features.word_ngrams, min_df=2, sublinear_tf=True)
    char = TfidfVectorizer(analyzer=features.char_ngrams, min_df=3, sublinear_tf=True, max_features=CHAR_FEATURES)
    return word, char


def _matrix(word, char, texts, vectors, *, fit):
    from scipy import sparse

    word_part = word.fit_transform(texts) if fit else word.transform(texts)
    char_part = char.fit_transform(texts) if fit else char.transform(texts)
    hand = np.array([features.hand_features(t) for t in texts])
    parts = [word_part, char_part * CHAR_WEIGHT, sparse.csr_matrix(hand), sparse.csr_matrix(vectors)]
    return sparse.hstack(parts).tocsr()


def _fit(texts, labels, vectors, seed):
    from sklearn.linear_model import LogisticRegression

    word, char = _vectorizers()
    X = _matrix(word, char, texts, vectors, fit=True)
    classifier = LogisticRegression(C=C, class_weight="balanced", max_iter=5000, random_state=seed)
    classifier.fit(X, labels)
    return word, char, classifier


def _predict(fitted, texts, vectors):
    word, char, classifier = fitted
    return classifier.predict_proba(_matrix(word, char, texts, vectors, fit=False))[:, 1]


def cross_validate_claimbuster(seed, progress=lambda message: None):
    """4-fold stratified CV on ClaimBuster alone: mean F1 of the check-worthy class and ROC AUC."""
    from sklearn.metrics import f1_score, roc_auc_score
    from sklearn.model_selection import StratifiedKFold

    rows = datasets.claimbuster()
    texts = [t for t, _ in rows]
    labels = np.array([label for _, label in rows])
    vectors = embeddings.embed(texts)
    f1s, aucs = [], []
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(texts, labels)
    for n, (train, test) in enumerate(folds, 1):
        fitted = _fit([texts[i] for i in train], labels[train], vectors[train], seed)
        predicted = _predict(fitted, [texts[i] for i in test], vectors[test])
        f1s.append(f1_score(labels[test], predicted >= 0.5))
        aucs.append(roc_auc_score(labels[test], predicted))
        progress(f"ClaimBuster fold {n}/{FOLDS}: F1 {f1s[-1]:.4f}, ROC AUC {aucs[-1]:.4f}")
    return float(np.mean(f1s)), float(np.mean(aucs))


def average_precision(labels_in_rank_order):
    hits, total = 0, 0.0
    for rank, label in enumerate(labels_in_rank_order, 1):
        if label:
            hits += 1
            total += hits / rank
    return total / hits if hits else 0.0


# Fact-checked claims in a news register (Snopes' verified claims, CLEF 2020 task 2): positives that teach the
# model what a checkable report in an article looks like (the debates alone made "reportedly" a mark against).
NEWS_POSITIVES = 3000


def news_register_positives(seed):
    claims = sorted(claim for claim, _title in datasets.clef2020_verified_claims().values() if claim.strip())
    rng = np.random.default_rng(seed)
    return [claims[i] for i in sorted(rng.choice(len(claims), size=min(NEWS_POSITIVES, len(claims)), replace=False))]


def training_data(seed=0):
    """(texts, labels): ClaimBuster's sentences and the news-register positives."""
    rows = datasets.claimbuster()
    texts = [t for t, _ in rows] + news_register_positives(seed)
    labels = [label for _, label in rows] + [1] * (len(texts) - len(rows))
    return texts, np.array(labels)


def debate_precisions(fitted, debates):
    """{debate: average precision of the model's ranking of its lines}."""
    precisions = {}
    for name, lines in debates.items():
        texts = [line.text for line in lines]
        order = np.argsort(-_predict(fitted, texts, embeddings.embed(texts)), kind="stable")
        precisions[name] = average_precision([lines[i].label for i in order])
    return precisions


def train(seed=0, progress=lambda message: None):
    """Fit on ClaimBuster and the news-register positives. Returns the model as plain data and its average
    precision on each CLEF 2019 debate, none of which it learnt from."""
    texts, labels = training_data(seed)
    progress(f"Fitting on {len(texts)} sentences ({int(labels.sum())} check-worthy)…")
    fitted = _fit(texts, labels, embeddings.embed(texts), seed)
    return _as_data(fitted, seed), debate_precisions(fitted, datasets.clef2019_debates())


def _numbers(values, digits=6):
    return [float(f"{v:.{digits}g}") for v in np.asarray(values, dtype=np.float64).ravel()]


def _as_data(fitted, seed):
    word, char, classifier = fitted
    coef = classifier.coef_.ravel()
    n_word, n_char, n_hand = len(word.vocabulary_), len(char.vocabulary_), len(features.HAND_FEATURES)
    blocks = np.split(coef, np.cumsum([n_word, n_char, n_hand]))

    def terms(vectorizer):
        return sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)

    return {
        "format": "intake.checkworthiness/1",
        "seed": seed,
        "embedding": {"model": embeddings.MODEL_NAME, "coef": _numbers(blocks[3])},
        "hand": {"names": features.HAND_FEATURES, "coef": _numbers(blocks[2])},
        "intercept": float(f"{classifier.intercept_[0]:.6g}"),
        "word": {"terms": terms(word), "idf": _numbers(word.idf_), "coef": _numbers(blocks[0])},
        "char": {"terms": terms(char), "idf": _numbers(char.idf_), "coef": _numbers(blocks[1]),
                 "weight": CHAR_WEIGHT},
    }


def dumps(data):
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
