"""Claim matching: vectors kept current, a reworded repeat found first, and the corpus as pure data."""

import numpy as np
import pytest
from django.core.management import call_command

from claims.tests.factories import ClaimantFactory, SourceFactory, new_claim
from intake import analysis, matching, transformer
from intake.models import Embedding

DEMO_LIKE = [
    ("About €210bn of Russian central-bank reserves are frozen, mostly at Euroclear",
     "The approximately €210 billion in Russian central bank reserves frozen by Western sanctions."),
    ("Lavrov was absent from a Security Council meeting",
     "Yes, Lavrov was reportedly absent from a Security Council meeting."),
    ("A Financial Times article was likely commissioned by Lavrov's rivals",
     "A Financial Times article detailed the mess was likely commissioned by his rivals."),
    ("Rubio told Trump: “Forget it”", "Rubio hung up and told Trump: “Forget it.”"),
    ("Kirill Dmitriev flew privately to Washington", "Kirill Dmitriev flew to Washington on a private jet."),
]


@pytest.fixture
def register(editor, django_capture_on_commit_callbacks):
    claimant = ClaimantFactory()
    with django_capture_on_commit_callbacks(execute=True):
        return [new_claim(actor=editor, text=text, quote=quote, claimant=claimant) for text, quote in DEMO_LIKE]


def test_a_captured_claim_gets_its_vector(register):
    row = Embedding.objects.get(corpus="claim", object_id=register[0].pk)
    assert row.text.startswith("About €210bn")
    assert np.linalg.norm(row.array) == pytest.approx(1, abs=1e-5)


def test_an_edited_claim_gets_a_new_vector(register, editor, django_capture_on_commit_callbacks):
    from claims import workflow

    claim = register[3]
    with django_capture_on_commit_callbacks(execute=True):
        workflow.edit_claim(claim=claim, actor=editor, version=claim.version, text="Rubio told Trump to forget it")
    assert Embedding.objects.get(object_id=claim.pk).text.startswith("Rubio told Trump to forget it")


def test_a_reworded_repeat_inside_a_new_text_is_matched_to_the_claim_first(register):
    text = (
        "Markets were calm on Tuesday. Western governments are still holding roughly 210 billion euros of "
        "frozen Russian central bank money, most of it at Euroclear in Brussels. The minister smiled."
    )
    sentences = analysis.analyse_text(text)
    repeat = next(s for s in sentences if "210 billion" in s["text"])
    assert repeat["matches"][0]["claim"] == register[0].pk
    assert repeat["matches"][0]["origin"] == "ours"
    assert repeat["matches"][0]["url"] == register[0].get_desk_url()
    calm = next(s for s in sentences if "calm" in s["text"])
    assert calm["matches"] == []


def test_a_claim_captured_after_the_index_was_read_is_matched(register, editor, django_capture_on_commit_callbacks):
    assert matching.index.match(["Moscow's ambassador resigned in protest on Friday."]) == [[]]
    with django_capture_on_commit_callbacks(execute=True):
        claim = new_claim(actor=editor, text="Moscow's ambassador resigned in protest", claimant=ClaimantFactory())
    [[first, *_]] = matching.index.match(["Moscow's ambassador resigned in protest on Friday."])
    assert first.object_id == claim.pk


def test_backfill_embeds_claims_without_vectors(register, editor):
    Embedding.objects.all().delete()
    new_claim(actor=editor, text="No vector yet for this one")  # no on-commit callbacks run here
    call_command("embed_claims")
    assert Embedding.objects.count() == len(register) + 1


def test_the_corpus_ranks_by_meaning_and_words():
    corpus = matching.Corpus()
    texts = ["The moon is made of cheese", "Vaccines contain microchips", "Paris is the capital of France"]
    for key, text, vector in zip("abc", texts, transformer.embed(texts), strict=True):
        corpus.put(key, text, vector)
    [[(key, score), *_]] = corpus.rank(["COVID vaccines have microchips in them"])
    assert key == "b" and score > 0.5
    corpus.put("b", "Bananas are berries", transformer.embed(["Bananas are berries"])[0])  # replaced in place
    assert len(corpus) == 3
    assert corpus.rank(["COVID vaccines have microchips in them"], threshold=matching.MATCH_THRESHOLD) == [[]]


def test_a_source_analysis_is_kept_until_the_text_changes(db):
    source = SourceFactory(text="Unemployment rose by 4.2 percent in 2023. Thanks for coming.")
    first = analysis.current_analysis(source)
    assert [source.text[s["start"]:s["end"]] for s in first.sentences] == [
        "Unemployment rose by 4.2 percent in 2023.", "Thanks for coming."
    ]
    assert analysis.current_analysis(source).analysed_at == first.analysed_at
    source.text = "Something else entirely."
    assert len(analysis.current_analysis(source).sentences) == 1


def test_claims_created_in_bulk_get_vectors_from_the_sweep(register, reviewer):
    from background.testing import run_queued_tasks
    from claims import workflow
    from claims.models import Claim
    from intake.tasks import embed_claims_sweep

    [imported] = workflow.record_checked_elsewhere(actor=reviewer, claims=[
        Claim(text="5G masts spread the coronavirus", claimant=ClaimantFactory(), language="en")
    ])
    assert not Embedding.objects.filter(object_id=imported.pk).exists()  # bulk_create sends no save signal
    embed_claims_sweep.enqueue()
    run_queued_tasks()
    assert Embedding.objects.filter(object_id=imported.pk).exists()
    [[first, *_]] = matching.index.match(["Mobile phone masts are spreading the coronavirus"])
    assert first.object_id == imported.pk
    [sentence] = analysis.analyse_sentences(["Mobile phone masts are spreading the coronavirus"])
    assert sentence["matches"][0]["origin"] == "other_publisher"


def test_an_outage_while_embedding_logs_one_line_not_a_traceback(editor, caplog, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    """The fault test reads the server's log for tracebacks: an outage is expected, and the sweep embeds later."""
    from django.db import OperationalError

    from claims.tests.factories import new_claim
    from intake import matching

    def down(claims):
        raise OperationalError("couldn't get a connection after 1.00 sec")

    monkeypatch.setattr(matching, "store_claim_embeddings", down)
    with caplog.at_level("WARNING", logger="intake.signals"), django_capture_on_commit_callbacks(execute=True):
        claim = new_claim(actor=editor, text="Assets total 210 billion euros")
    records = [r for r in caplog.records if r.name == "intake.signals"]
    assert [r.getMessage() for r in records] == [
        f"could not embed claim {claim.pk}: the database is unavailable (couldn't get a connection after 1.00 sec)"]
    assert records[0].exc_info is None


def test_the_numpy_transformer_gives_all_minilm_l6_v2s_vectors():
    """The untuned model: the first values sentence-transformers gives for all-MiniLM-L6-v2 (its model card's
    example sentence); the tanh form of GELU keeps every value within 1e-3."""
    encoder = transformer.Encoder(transformer.model_dir())
    [vector] = encoder.encode(["This is an example sentence"])
    assert vector.shape == (384,) and vector.dtype == np.float32
    assert vector[:5] == pytest.approx([0.0677, 0.0635, 0.0487, 0.0793, 0.0374], abs=1e-3)
    assert np.linalg.norm(vector) == pytest.approx(1, abs=1e-5)
    # a batch pads its shorter texts: the padding must not change their vectors
    batch = encoder.encode(["This is an example sentence", "A much longer sentence, padded beside the short one."])
    assert batch[0] == pytest.approx(vector, abs=1e-5)


def test_the_app_runs_the_fine_tuned_layers_over_the_packages_word_embeddings():
    """The shipped file replaces every layer the fine-tuning trained, and nothing else: the frozen word
    embeddings come from the package, and the pooler (unused) is left out."""
    from safetensors.numpy import load_file

    from intake import finetuning

    base = load_file(str(transformer.model_dir() / "model.safetensors"))
    tuned = load_file(str(transformer.TUNED_WEIGHTS))
    expected = {name for name, tensor in base.items()
                if tensor.dtype == np.float32 and name not in finetuning.FROZEN and not name.startswith("pooler.")}
    assert set(tuned) == expected
    assert all(tuned[name].dtype == np.float16 and tuned[name].shape == base[name].shape for name in tuned)
    assert transformer._encoder().layers[0]["out_bias"] == pytest.approx(
        tuned["encoder.layer.0.attention.output.dense.bias"].astype(np.float32))
    [vector] = transformer.embed(["This is an example sentence"])
    [untuned] = transformer.Encoder(transformer.model_dir()).encode(["This is an example sentence"])
    assert np.linalg.norm(vector) == pytest.approx(1, abs=1e-5)
    assert 0.5 < float(vector @ untuned) < 0.9999


def test_train_matching_says_what_it_needs_without_pytorch(monkeypatch):
    import builtins

    from django.core.management.base import CommandError

    real_import = builtins.__import__

    def no_torch(name, *args, **kwargs):
        if name.split(".")[0] in {"torch", "sentence_transformers"}:
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_torch)
    with pytest.raises(CommandError, match=r"requirements-train\.txt"):
        call_command("train_matching", output="/nonexistent/never-written.safetensors")


def test_near_duplicates_are_offered_oldest_first():
    """One claim told twice: the older (smaller key) comes first, even when the newer is worded closer."""
    corpus = matching.Corpus()
    texts = {7: 'A photograph shows a giant ammonite fossil from southeastern British Columbia.',
             3: 'A photograph shows a giant ammonite fossil from Southeastern British Columbia!',
             5: 'Vaccines contain microchips'}
    for key, text in texts.items():
        corpus.put(key, text, transformer.embed([text])[0])
    [ranked] = corpus.rank(["a giant ammonite fossil from southeastern British Columbia"])
    assert [key for key, _ in ranked[:2]] == [3, 7]
    assert ranked[0][1] == ranked[1][1]  # they share the best score


def test_vectors_of_another_model_are_recomputed_not_matched(register, monkeypatch):
    from intake.tasks import claims_needing_vectors

    Embedding.objects.filter(object_id=register[0].pk).update(model="wordllama", vector=b"\0" * 1024)
    assert list(claims_needing_vectors()) == [register[0]]
    monkeypatch.setattr(matching, "index", matching.Index())  # a fresh process's index
    assert all(m.object_id != register[0].pk for row in matching.index.match(["€210bn frozen at Euroclear"])
               for m in row)
    call_command("embed_claims")
    assert not claims_needing_vectors().exists()
    [[first, *_]] = matching.index.match(["About €210bn of Russian reserves are frozen, mostly at Euroclear"])
    assert first.object_id == register[0].pk


def test_a_sentences_vector_is_kept_for_the_next_reading(monkeypatch):
    transformer.clear_cache()
    [first] = transformer.embed(["Lavrov was absent from the meeting."], cache=True)
    encoder = transformer._encoder()
    monkeypatch.setattr(encoder, "encode", lambda texts: pytest.fail(f"encoded again: {texts}"))
    [again] = transformer.embed(["Lavrov was absent from the meeting."], cache=True)
    assert again == pytest.approx(first)


def test_map_at_5_counts_each_tweets_claim_by_its_rank(monkeypatch):
    """evaluate_matching's measure on a synthetic split: one tweet's claim found first (AP 1), one tweet's claim
    missing from the corpus (AP 0); the tweet's link and signature line are not part of the query."""
    from intake import datasets, evaluation

    claims = {"10": ("Vaccines contain microchips", ""), "11": ("Paris is the capital of France", ""),
              "12": ("The moon is made of cheese", "Is the moon cheese?")}
    monkeypatch.setattr(datasets, "clef2020_verified_claims", lambda: claims)
    monkeypatch.setattr(datasets, "clef2020_queries", lambda split: [
        ("COVID vaccines have microchips in them https://t.co/x — A B (@ab) January 1, 2020", {"10"}),
        ("France's capital city is Paris", {"99"}),
    ])
    corpus = evaluation.verified_claims_corpus()
    assert sorted(corpus.keys) == [10, 11, 12]
    score, queries = evaluation.map_at_5(corpus, "dev")
    assert queries == 2
    assert score == pytest.approx(0.5)


@pytest.mark.slow
def test_retraining_gives_the_shipped_layers(tmp_path):
    """Needs requirements-train.txt (PyTorch), which CI does not install: about 8 minutes on two cores. Two runs
    on the machine that trained the shipped file gave every tensor bit for bit."""
    pytest.importorskip("torch", reason="retraining needs requirements-train.txt")
    from safetensors.numpy import load_file

    output = tmp_path / "retrained.safetensors"
    call_command("train_matching", output=output)
    shipped, retrained = load_file(str(transformer.TUNED_WEIGHTS)), load_file(str(output))
    assert set(retrained) == set(shipped)
    for name, tensor in shipped.items():
        np.testing.assert_allclose(retrained[name].astype(np.float32), tensor.astype(np.float32), atol=2e-3,
                                   err_msg=name)
