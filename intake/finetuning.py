"""Fine-tuning claim matching's sentence model (``manage.py train_matching``) on the CLEF 2020 claim-retrieval
*train* split: each tweet beside the Snopes claim it repeats, against the other claims of its batch and one hard
negative, the claim the untuned model ranked highest among the wrong ones (MultipleNegativesRankingLoss, the
sentence-transformers recipe for retrieval). The recipe's usual settings, not searched: 2 epochs, batches of 32,
learning rate 2e-5 with 10% warm-up, seeded.

Needs PyTorch and sentence-transformers (``requirements-train.txt``), which only training does: the app runs the
result with NumPy (``transformer.py``). The word embeddings stay frozen, so that the shipped file holds only the
layers that change (``transformer.TUNED_WEIGHTS``, float16: 22 MB where the whole model is 90 MB).
"""

import random

import numpy as np

from . import datasets, evaluation, transformer

EPOCHS = 2
BATCH = 32
LEARNING_RATE = 2e-5
WARMUP = 0.1
FROZEN = ("embeddings.word_embeddings.weight",)


def _require_torch():
    try:
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    except ImportError as error:
        raise ImportError(
            "training needs PyTorch and sentence-transformers: pip install -r requirements-train.txt") from error


def _hard_negatives(model, queries):
    """{tweet: the verified claim id the untuned model ranks highest among those it does not repeat}."""
    def encode(texts):
        return model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)

    texts = [tweet for tweet, _ in queries]
    ranked = evaluation.verified_claims_corpus(encode).rank(texts, encode(texts), limit=5)
    negatives = {}
    for (tweet, relevant), row in zip(queries, ranked, strict=True):
        wrong = next((str(key) for key, _ in row if str(key) not in relevant), None)
        if wrong is not None:
            negatives[tweet] = wrong
    return negatives


def fine_tune(seed=0, *, progress=lambda message: None):
    """The tuned tensors, {name: float16 array}, named as in all-MiniLM-L6-v2's model.safetensors."""
    _require_torch()
    import torch
    from sentence_transformers import SentenceTransformer, losses

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(transformer.WORKERS)
    claims = evaluation.verified_claim_texts()
    queries = datasets.clef2020_queries("train")
    model = SentenceTransformer(str(transformer.model_dir()), device="cpu")
    model.max_seq_length = transformer.MAX_TOKENS
    progress("Mining a hard negative for each training tweet with the untuned model…")
    negatives = _hard_negatives(model, queries)
    triples = [(tweet, claims[key], claims[negatives[tweet]])
               for tweet, relevant in queries if tweet in negatives for key in sorted(relevant)]
    bert = model[0].auto_model
    for name, parameter in bert.named_parameters():
        parameter.requires_grad_(name not in FROZEN)
    loss = losses.MultipleNegativesRankingLoss(model)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LEARNING_RATE)
    steps = EPOCHS * -(-len(triples) // BATCH)
    warmup = int(WARMUP * steps)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: (step + 1) / warmup if step < warmup else max(0.0, (steps - step) / (steps - warmup)))
    model.train()
    for epoch in range(EPOCHS):
        random.shuffle(triples)
        for start in range(0, len(triples), BATCH):
            batch = triples[start:start + BATCH]
            columns = [model.tokenize([triple[i] for triple in batch]) for i in range(3)]
            value = loss(columns, None)
            value.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
        progress(f"epoch {epoch + 1}/{EPOCHS}: loss {value.item():.4f} on the last batch")
    return {name: tensor.detach().numpy().astype(np.float16)
            for name, tensor in bert.state_dict().items()
            if name not in FROZEN and not name.startswith("pooler.") and tensor.is_floating_point()}
