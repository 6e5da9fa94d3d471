"""Intake's speed at scale: matching 50 sentences against N claims, and a 2,000-word article split, scored and
matched, against an in-memory index of N synthetic claims (the index the app keeps; the database is not timed).
"""

import statistics
import time

import numpy as np
from django.core.management.base import BaseCommand

from intake import checkworthiness, datasets, embeddings, matching
from intake.sentences import split


class Command(BaseCommand):
    help = "Time claim matching (50 sentences) and a 2,000-word article's intake against --claims claims."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--seed", type=int, default=0)

    def handle(self, *args, claims, runs, seed, **options):
        rng = np.random.default_rng(seed)
        base = [f"{c} {t}" for c, t in datasets.clef2020_verified_claims().values()]
        base += [t for t, _ in datasets.claimbuster()]
        words = np.array(" ".join(base).split())
        self.stdout.write(f"Building {claims:,} claims…")
        picks = rng.integers(0, len(words), size=(claims, 14))
        texts = [base[i] if i < len(base) else " ".join(words[picks[i]]) for i in range(claims)]
        corpus = matching.Corpus()
        for start in range(0, claims, 10_000):
            chunk = texts[start:start + 10_000]
            for i, (text, vector) in enumerate(zip(chunk, embeddings.embed(chunk), strict=True)):
                corpus.put(start + i, text, vector)
            self.stdout.write(f"  {min(start + 10_000, claims):,}/{claims:,}")

        lines = [line.text for lines in datasets.clef2019_debates().values() for line in lines]
        sentences = lines[:50]
        article, count = [], 0
        for line in lines[1000:]:
            article.append(line)
            count += len(line.split())
            if count >= 2000:
                break
        article = " ".join(article)

        query_vectors = matching._truncated(embeddings.embed(sentences))

        def product_alone():  # the floor: the float32 matrix product, which any exact search must do
            return query_vectors @ corpus.columns[:, :claims]

        def match_50():
            corpus.rank(sentences, limit=3, threshold=matching.MATCH_THRESHOLD)

        def intake_article():
            found = split(article)
            texts = [s.text for s in found]
            vectors = embeddings.embed(texts)
            checkworthiness.score_sentences(texts, vectors)
            corpus.rank(texts, vectors, limit=3, threshold=matching.MATCH_THRESHOLD)

        for name, job, target in (
            ("floor: the 50 × 128 by 128 × N product alone", product_alone, 0.150),
            ("match 50 sentences", match_50, 0.150),
            (f"2,000-word article ({len(split(article))} sentences): split, score, match", intake_article, 1.0),
        ):
            job()  # warm
            times = []
            for _ in range(runs):
                began = time.perf_counter()
                job()
                times.append(time.perf_counter() - began)
            p50 = statistics.median(times)
            verdict = "ok" if p50 <= target else "OVER TARGET"
            self.stdout.write(f"{name} against {claims:,} claims: p50 {p50 * 1000:.0f} ms, "
                              f"max {max(times) * 1000:.0f} ms (target {target * 1000:.0f} ms: {verdict})")
