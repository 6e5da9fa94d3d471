"""Intake's speed at scale: matching 50 sentences against N claims, and a 2,000-word article split, scored and
matched, against an in-memory index of N synthetic claims (the index the app keeps; the database is not timed).

The claims' vectors are synthetic too: each is two real claims' all-MiniLM-L6-v2 vectors mixed with noise, so
that the cosines the search sees are spread like real ones (embedding 100k texts here would take an hour).
"""

import statistics
import time

import numpy as np
from django.core.management.base import BaseCommand

from intake import checkworthiness, datasets, embeddings, matching, transformer
from intake.sentences import split


class Command(BaseCommand):
    help = "Time claim matching (50 sentences) and a 2,000-word article's intake against --claims claims."

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, default=100_000)
        parser.add_argument("--runs", type=int, default=15)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--real", type=int, default=2000, help="real claims embedded to mix the rest from")

    def handle(self, *args, claims, runs, seed, real, **options):
        rng = np.random.default_rng(seed)
        base = [f"{c} {t}" for c, t in datasets.clef2020_verified_claims().values()]
        base += [t for t, _ in datasets.claimbuster()]
        words = np.array(" ".join(base).split())
        self.stdout.write(f"Building {claims:,} claims…")
        picks = rng.integers(0, len(words), size=(claims, 14))
        texts = [base[i] if i < len(base) else " ".join(words[picks[i]]) for i in range(claims)]
        self.stdout.write(f"Embedding {real:,} real claims…")
        real_vectors = transformer.embed(base[:real])
        pairs = rng.integers(0, len(real_vectors), size=(claims, 2))
        corpus = matching.Corpus()
        for start in range(0, claims, 10_000):
            stop = min(start + 10_000, claims)
            mixed = real_vectors[pairs[start:stop, 0]] + 0.5 * real_vectors[pairs[start:stop, 1]]
            mixed += rng.normal(0, 0.03, size=mixed.shape).astype(np.float32)
            for i in range(start, stop):
                corpus.put(i, texts[i], mixed[i - start])
        self.stdout.write(f"  {claims:,} claims in the index")

        lines = [line.text for lines in datasets.clef2019_debates().values() for line in lines]
        sentences = lines[:50]
        article, count = [], 0
        for line in lines[1000:]:
            article.append(line)
            count += len(line.split())
            if count >= 2000:
                break
        article = " ".join(article)

        query_vectors = transformer.embed(sentences)

        def product_alone():  # the floor: the float32 matrix product, which any exact search must do
            return query_vectors @ corpus.columns[:, :claims]

        def match_50():  # the search: the sentences' vectors are computed once per text, beside their scores
            corpus.rank(sentences, query_vectors, limit=3, threshold=matching.MATCH_THRESHOLD)

        def encode_50():
            transformer.embed(sentences)

        def intake_article():
            transformer.clear_cache()  # a new article: none of its sentences' vectors are known
            found = split(article)
            texts = [s.text for s in found]
            checkworthiness.score_sentences(texts, embeddings.embed(texts))
            corpus.rank(texts, limit=3, threshold=matching.MATCH_THRESHOLD)

        def article_again():  # its workspace read again: the sentences' vectors are kept
            found = split(article)
            corpus.rank([s.text for s in found], limit=3, threshold=matching.MATCH_THRESHOLD)

        for name, job, target in (
            (f"floor: the 50 × {transformer.DIMENSIONS} by {transformer.DIMENSIONS} × N product alone",
             product_alone, 0.150),
            ("match 50 sentences (vectors given)", match_50, 0.150),
            ("all-MiniLM-L6-v2 vectors of those 50 sentences", encode_50, 0.150),
            (f"2,000-word article ({len(split(article))} sentences): split, score, match", intake_article, 1.0),
            ("the same article's matches read again (its workspace)", article_again, 1.0),
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
