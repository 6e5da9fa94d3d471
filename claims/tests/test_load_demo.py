"""manage.py load_demo: the claims of the two seed articles, walked through the real workflow. Idempotent, with
verbatim quotes, honest verdicts, the seeds' text stored and analysed when present, and log-in accounts only
when asked for."""

import io
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.http import HttpRequest

from claims import demo_data, workflow
from claims.models import Appearance, Claim, Claimant, ClaimEvent, Evidence, Source, Topic, Verdict

User = get_user_model()
SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"
SPECS_BY_TEXT = {spec["text"]: spec for spec in demo_data.CLAIMS}
NAMED_CLAIMS = ("frozen-assets-210bn", "lavrov-security-council-absence", "ft-article-commissioned-by-rivals")
PASSWORD_LINE = re.compile(r"^\s+(editor|reviewer|admin)\s+(\S+)\s+\(", re.MULTILINE)


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in (
        Claim, ClaimEvent, Evidence, Verdict, Source, Claimant, Topic, Appearance, User, Group,
        Claim.topics.through,
    )}


@pytest.fixture
def demo(db):
    return load_demo()


def test_a_second_run_adds_nothing(demo):
    first = row_counts()
    assert first["Claim"] >= 15
    output = load_demo()
    assert row_counts() == first
    assert f"0 claim(s) added, {len(demo_data.CLAIMS)} already there" in output


def test_a_second_run_with_users_adds_nothing_more(db):
    load_demo("--with-users")
    first = row_counts()
    load_demo("--with-users")
    assert row_counts() == first


def test_at_least_fifteen_claims_from_both_articles(demo):
    assert Claim.objects.count() >= 15
    assert Claim.objects.count() == len(demo_data.CLAIMS)
    assert set(Claim.objects.values_list("source__title", flat=True)) == {s["title"] for s in demo_data.SOURCES}


def test_the_three_named_claims_exist(demo):
    by_key = {spec["key"]: spec for spec in demo_data.CLAIMS}
    for key in NAMED_CLAIMS:
        claim = Claim.objects.get(text=by_key[key]["text"])
        assert claim.quote == by_key[key]["quote"]
    assert Claim.objects.filter(text__contains="€210bn").exists()
    assert Claim.objects.filter(text__contains="Security Council").exists()
    assert Claim.objects.filter(text__contains="FT article").exists()


def test_every_claim_is_at_its_stage_with_its_claimant_and_topics(demo):
    stage_to_status = {"new": Claim.Status.NEW, "researching": Claim.Status.RESEARCHING,
                       "published": Claim.Status.PUBLISHED}
    for claim in Claim.objects.select_related("claimant").prefetch_related("topics"):
        spec = SPECS_BY_TEXT[claim.text]
        assert claim.status == stage_to_status[spec["stage"]], spec["key"]
        assert claim.claimant.slug == spec["claimant"]
        assert {t.slug for t in claim.topics.all()} == set(spec["topics"])


@pytest.mark.skipif(not SEEDS.is_dir(), reason=f"the seed articles are not at {SEEDS} (CI has them)")
def test_every_quote_is_verbatim_and_its_offsets_point_at_it(demo):
    texts = {s["title"]: (SEEDS / s["seed_file"]).read_text(encoding="utf-8") for s in demo_data.SOURCES}
    claims = list(Claim.objects.select_related("source"))
    assert claims
    for claim in claims:
        text = texts[claim.source.title]
        assert claim.quote, claim.text
        assert claim.quote in text, claim.text
        assert (claim.quote_start, claim.quote_end) != (None, None), claim.text
        assert text[claim.quote_start:claim.quote_end] == claim.quote, claim.text


def test_the_seed_articles_text_is_stored_in_the_database_and_analysed(demo):
    """Issue 14: the sources keep the seeds' full text (in the database, never in the repository) and the
    intake workspace has them analysed."""
    assert Source.objects.count() == len(demo_data.SOURCES)
    for spec in demo_data.SOURCES:
        source = Source.objects.get(title=spec["title"])
        seed = SEEDS / spec["seed_file"]
        assert source.text == (seed.read_text(encoding="utf-8") if seed.exists() else "")
        if source.text:
            assert source.analysis.sentences


def test_without_the_seeds_no_text_is_stored(db, monkeypatch, tmp_path):
    from claims.management.commands import load_demo as command

    monkeypatch.setattr(command, "SEEDS", tmp_path)
    load_demo()
    assert list(Source.objects.exclude(text="").values_list("title", flat=True)) == []


def test_published_claims_are_only_unsupported_and_signed_off_by_someone_else(demo):
    published = list(Claim.objects.public().select_related("published_verdict__rating"))
    assert published
    assert {c.published_verdict.rating.slug for c in published} == {"unsupported"}
    assert {c.published_verdict.rating_label for c in published} == {"Unsupported"}
    assert len(published) == sum(1 for spec in demo_data.CLAIMS if spec["stage"] == "published")
    for claim in published:
        verdict = claim.published_verdict
        approvers = set(workflow.approvers_of(verdict).values_list("actor", flat=True))
        assert verdict.proposed_by_id is not None
        assert verdict.proposed_by_id not in approvers
        assert len(approvers) >= settings.REQUIRED_APPROVALS
        assert claim.evidence.exists()
        assert not claim.evidence.exclude(url="").exists()  # no invented evidence URLs


def test_demo_claims_carry_their_history(demo):
    for claim in Claim.objects.all():
        kinds = list(claim.events.order_by("at", "id").values_list("kind", flat=True))
        assert kinds[0] == ClaimEvent.Kind.CREATED
        assert len(kinds) == claim.version


def test_with_two_required_approvals_demo_verdicts_get_two_reviewers(db, settings):
    settings.REQUIRED_APPROVALS = 2
    load_demo()
    for claim in Claim.objects.public():
        approvers = set(workflow.approvers_of(claim.published_verdict).values_list("actor", flat=True))
        assert len(approvers) == 2
        assert claim.published_verdict.proposed_by_id not in approvers


def test_without_with_users_nobody_can_log_in(demo, client):
    assert User.objects.exists()  # the demo's actors
    assert not [u.username for u in User.objects.all() if u.has_usable_password()]
    assert not User.objects.filter(is_staff=True).exists()
    assert not User.objects.filter(username__in=["editor", "reviewer", "admin"]).exists()
    assert "password" not in demo.lower()


def test_with_users_creates_accounts_that_can_log_in(db, client):
    output = load_demo("--with-users")
    passwords = dict(PASSWORD_LINE.findall(output))
    assert set(passwords) == {"editor", "reviewer", "admin"}
    assert len(set(passwords.values())) == 3
    for username, password in passwords.items():
        assert client.login(request=HttpRequest(), username=username, password=password), username
        client.logout()
        assert not client.login(request=HttpRequest(), username=username, password=password + "x"), username

    editor, reviewer, admin = (User.objects.get(username=name) for name in ("editor", "reviewer", "admin"))
    assert editor.has_perm(workflow.EDITOR_PERMISSION)
    assert not editor.has_perm(workflow.REVIEWER_PERMISSION)
    assert not editor.is_staff
    assert reviewer.has_perm(workflow.REVIEWER_PERMISSION)
    assert admin.is_superuser and admin.is_staff
    # The demo's own actors still cannot log in.
    assert not [u.username for u in User.objects.exclude(pk__in=[editor.pk, reviewer.pk, admin.pk])
                if u.has_usable_password()]
