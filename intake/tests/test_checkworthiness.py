"""Check-worthiness: scores from the shipped numbers, honesty about other languages, the commissioned claims,
and a model file that retraining reproduces."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from django.conf import settings

from intake import checkworthiness, embeddings, features
from intake.sentences import split

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"


def _ranks(text, needles):
    sentences = split(text)
    scores = checkworthiness.score_sentences([s.text for s in sentences])
    order = sorted(range(len(sentences)), key=lambda i: -(scores[i] if scores[i] is not None else -1))
    return {needle: next(r for r, i in enumerate(order, 1) if needle in sentences[i].text) for needle in needles}


@pytest.fixture(scope="module")
def seeds():
    if not SEEDS.is_dir():
        pytest.fail(f"the seed articles are expected at {SEEDS}")
    return {p.name[:3]: p.read_text(encoding="utf-8") for p in SEEDS.glob("0*.txt")}


def test_the_210bn_figure_is_among_the_ten_most_check_worthy_sentences_of_its_article(seeds):
    assert _ranks(seeds["000"], ["€210 billion"])["€210 billion"] <= 10


def test_the_ft_articles_origins_are_among_the_ten_most_check_worthy_sentences_of_its_article(seeds):
    assert _ranks(seeds["002"], ["Financial Times article"])["Financial Times article"] <= 10


def test_lavrovs_absence_is_among_the_ten_most_check_worthy_sentences_of_its_article(seeds):
    assert _ranks(seeds["000"], ["Lavrov was reportedly absent"])["Lavrov was reportedly absent"] <= 10


def test_a_statistic_outscores_small_talk():
    high, low = checkworthiness.score_sentences(
        ["Unemployment rose by 4.2 percent in 2023, to 1.3 million people.", "Thank you all for being here tonight."]
    )
    assert high > 0.5 > low


def test_other_languages_are_left_unscored_not_guessed():
    texts = [
        "قال لافروف إن روسيا مستعدة للمحادثات.",
        "Лавров заявил, что Россия готова к переговорам.",
        "Le ministre a déclaré que la Russie est prête à négocier avec les États-Unis.",
        "El ministro dijo que Rusia está dispuesta a negociar con los Estados Unidos.",
        "The minister said Russia is ready to negotiate with the United States.",
    ]
    scores = checkworthiness.score_sentences(texts)
    assert scores[:4] == [None] * 4
    assert 0 <= scores[4] <= 1


def test_a_source_in_another_language_is_not_scored_at_all():
    assert checkworthiness.score_sentences(["The minister said so."], language="ru") == [None]


def test_numpy_scoring_matches_the_formula_of_the_shipped_weights():
    """The scorer is TF-IDF (sublinear, L2) dotted with the weights, plus hand features and embedding."""
    model = checkworthiness.model()
    text = "Unemployment rose by 4.2 percent in 2023."
    grams = [g for g in features.word_ngrams(text) if g in model.word.index]
    counts = {g: grams.count(g) for g in grams}
    values = np.array([(1 + np.log(c)) * model.word.idf[model.word.index[g]] for g, c in counts.items()])
    expected_word = values @ np.array([model.word.coef[model.word.index[g]] for g in counts]) / np.linalg.norm(values)
    assert model.word.contribution(text) == pytest.approx(expected_word)
    z = (model.intercept + model.word.contribution(text) + model.char.contribution(text)
         + float(np.dot(features.hand_features(text), model.hand_coef))
         + float(embeddings.embed([text])[0].astype(np.float64) @ model.embedding_coef))
    assert model.scores([text])[0] == pytest.approx(1 / (1 + np.exp(-z)))


def test_the_model_file_is_plain_json_numbers():
    head = checkworthiness.MODEL_PATH.read_bytes()[:200]
    assert head.startswith(b'{"format":"intake.checkworthiness/1"')


def _same_model(trained, shipped, path="model"):
    """Equal structure, equal words and settings, numbers equal to the six significant digits the file keeps: BLAS
    sums in an order that depends on the machine's cores, so the last printed digit may differ."""
    if isinstance(shipped, dict):
        assert trained.keys() == shipped.keys(), path
        for key in shipped:
            _same_model(trained[key], shipped[key], f"{path}.{key}")
    elif isinstance(shipped, list):
        assert len(trained) == len(shipped), path
        if shipped and isinstance(shipped[0], float):
            np.testing.assert_allclose(trained, shipped, rtol=2e-5, atol=2e-6, err_msg=path)
        else:
            for i, (a, b) in enumerate(zip(trained, shipped, strict=True)):
                _same_model(a, b, f"{path}[{i}]")
    elif isinstance(shipped, float):
        assert trained == pytest.approx(shipped, rel=2e-5, abs=2e-6), path
    else:
        assert trained == shipped, path


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model_file(tmp_path):
    """In its own process, with a time limit: run inside the test process after the live-server and browser
    tests, the training once hung CI for half an hour (BLAS threads in a process that had started many)."""
    output = tmp_path / "model.json"
    subprocess.run([sys.executable, "manage.py", "train_checkworthiness", "--skip-cross-validation",
                    "--output", str(output)], cwd=settings.BASE_DIR, check=True, timeout=600,
                   capture_output=True)
    _same_model(json.loads(output.read_text()), json.loads(checkworthiness.MODEL_PATH.read_text()))
