"""Matching measured on CLEF 2020 task 2 (tweets that repeat a claim Snopes verified): MAP@5."""

from . import datasets, matching, transformer


def verified_claim_texts():
    """{vclaim id: the text matched against}: Snopes' claim and its headline."""
    return {key: f"{claim} {title}" for key, (claim, title) in datasets.clef2020_verified_claims().items()}


def verified_claims_corpus(embed=None):
    """The verified claims as a matching corpus, their vectors from ``embed`` (texts -> unit vectors): the
    app's model, or the untuned one while fine-tuning mines its hard negatives (finetuning.py)."""
    texts = verified_claim_texts()
    vectors = (embed or transformer.embed)(list(texts.values()))
    corpus = matching.Corpus()
    # Integer keys: the ids count up with age, and the oldest of near-duplicates is offered first.
    for key, text, vector in zip(texts, texts.values(), vectors, strict=True):
        corpus.put(int(key), text, vector)
    return corpus


def map_at_5(corpus, split):
    queries = datasets.clef2020_queries(split)
    # The tweets as published, signature line and links included: stripping them (round 4) lost MAP@5 on the
    # train split (0.872 against 0.908 at matching.EMBEDDING_WEIGHT), likely because the signature names the
    # tweet's author, whom Snopes' claim often names too.
    ranked = corpus.rank([q for q, _ in queries], limit=5)
    total = 0.0
    for (_, relevant), row in zip(queries, ranked, strict=True):
        hits, precision = 0, 0.0
        for rank, (key, _score) in enumerate(row, 1):
            if str(key) in relevant:
                hits += 1
                precision += hits / rank
        total += precision / min(len(relevant), 5)
    return total / len(queries), len(queries)
