"""Intake's one pipeline: split a text into sentences, score each for check-worthiness and find repeats of
claims already in the register. The desk's workspace, the API and load_demo all call it."""

import hashlib

from django.db import transaction

from . import checkworthiness, embeddings, matching
from .sentences import split


def _each_once(texts, compute):
    """``compute`` of the distinct ``texts`` only, one result per text: a list of 2,000 identical sentences
    costs one sentence's encoding, not 2,000 (the API's fuzzing sent exactly that, and it took minutes)."""
    distinct = list(dict.fromkeys(texts))
    results = dict(zip(distinct, compute(distinct), strict=True))
    return [results[text] for text in texts]


def analyse_sentences(texts, *, language="en", spans=None):
    """[{"start", "end", "text", "score", "matches": [...]}] for already split ``texts``."""
    scores = _each_once(texts, lambda distinct: checkworthiness.score_sentences(
        distinct, embeddings.embed(distinct), language=language))
    matches = _each_once(texts, matching.index.match)
    described = matching.describe(matches)
    results = []
    for i, (text, score, found) in enumerate(zip(texts, scores, matches, strict=True)):
        start, end = spans[i] if spans else (None, None)
        results.append({
            "start": start, "end": end, "text": text, "score": None if score is None else round(score, 4),
            "matches": [
                {"claim": m.object_id, "url": described[(m.corpus, m.object_id)][1],
                 "label": described[(m.corpus, m.object_id)][0], "score": round(m.score, 4),
                 "origin": described[(m.corpus, m.object_id)][2]}
                for m in found if (m.corpus, m.object_id) in described
            ],
        })
    return results


def analyse_text(text, *, language="en"):
    sentences = split(text)
    return analyse_sentences([s.text for s in sentences], language=language,
                             spans=[(s.start, s.end) for s in sentences])


def text_digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def analyse_source(source):
    """Split and score the source's text and keep the result (matches are found afresh when read)."""
    from .models import SourceAnalysis

    sentences = split(source.text)
    texts = [s.text for s in sentences]
    scores = checkworthiness.score_sentences(texts, language=source.language)
    with transaction.atomic():
        analysis, _ = SourceAnalysis.objects.update_or_create(
            source=source, defaults={
                "text_sha256": text_digest(source.text),
                "sentences": [{"start": s.start, "end": s.end, "score": None if score is None else round(score, 4)}
                              for s, score in zip(sentences, scores, strict=True)],
            },
        )
    return analysis


def stored_analysis(source):
    """The stored analysis if it is of the source's present text, else None."""
    from .models import SourceAnalysis

    analysis = SourceAnalysis.objects.filter(source=source).first()
    return analysis if analysis is not None and analysis.text_sha256 == text_digest(source.text) else None


def current_analysis(source):
    """The stored analysis if it is of the source's present text, else a fresh one."""
    from .models import SourceAnalysis

    analysis = SourceAnalysis.objects.filter(source=source).first()
    if analysis is None or analysis.text_sha256 != text_digest(source.text):
        analysis = analyse_source(source)
    return analysis


def with_matches(source, analysis):
    """The stored sentences with their text and their matches in today's register."""
    texts = [source.text[s["start"]:s["end"]] for s in analysis.sentences]
    matches = _each_once(texts, matching.index.match)
    described = matching.describe(matches)
    rows = []
    for number, (sentence, text, found) in enumerate(zip(analysis.sentences, texts, matches, strict=True)):
        rows.append({
            **sentence, "number": number, "text": text,
            "matches": [
                {"claim": m.object_id, "label": described[(m.corpus, m.object_id)][0],
                 "url": described[(m.corpus, m.object_id)][1], "origin": described[(m.corpus, m.object_id)][2],
                 "score": round(m.score, 4)}
                for m in found if (m.corpus, m.object_id) in described
            ],
        })
    return rows
