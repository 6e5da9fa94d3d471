"""The admin: every registered model's pages render; the register's records (claims, evidence, verdicts and the
history) cannot be added, changed or deleted there; the one state change it offers goes through the workflow."""

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from claims import workflow
from claims.models import Appearance, Claim, Claimant, ClaimEvent, Evidence, Rating, Source, Topic, Verdict

from .factories import (
    SourceFactory,
    TopicFactory,
    UserFactory,
    new_claim,
    published_claim,
)

User = get_user_model()
READ_ONLY = [Claim, Evidence, Appearance, Verdict, ClaimEvent]
# The domain model of DESIGN.md. (Internal tables, such as the search index, are not for the admin.)
DOMAIN_MODELS = {Source, Claimant, Topic, Claim, Appearance, Evidence, Rating, Verdict, ClaimEvent}


@pytest.fixture
def superuser(db):
    return UserFactory(username="sue", first_name="Sue", last_name="Super", is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


@pytest.fixture
def register(editor, reviewer, client):
    """At least one row of every registered model."""
    source = SourceFactory()
    topic = TopicFactory()
    claim = published_claim(actor=editor, approver=reviewer, source=source, topics=[topic])
    Appearance.objects.create(claim=claim, url="https://elsewhere.example/repeat", outlet="Elsewhere")
    from rest_framework.authtoken.models import Token

    Token.objects.create(user=editor)
    # One failed and one successful log-in, so that django-axes has a row in each of its tables.
    client.post(reverse("login"), {"username": "erin", "password": "wrong"})
    client.post(reverse("login"), {"username": "erin", "password": "correct horse battery staple"})
    return claim


def registered_models():
    # Import the URLconf so that every app's admin module has registered its models.
    reverse("admin:index")
    return list(admin.site._registry)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_domain_model_is_registered(db):
    assert set(registered_models()) >= DOMAIN_MODELS


def test_every_changelist_renders(register, admin_client):
    for model in registered_models():
        response = admin_client.get(admin_url(model, "changelist"))
        assert response.status_code == 200, model._meta.label


def test_every_changelist_search_renders(register, admin_client):
    for model, model_admin in admin.site._registry.items():
        if model_admin.search_fields:
            response = admin_client.get(admin_url(model, "changelist"), {"q": "Frozen ‏مليار"})
            assert response.status_code == 200, model._meta.label


def test_every_change_page_renders(register, admin_client):
    seen = set()
    for model in registered_models():
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        seen.add(model)
        response = admin_client.get(admin_url(model, "change", obj.pk))
        assert response.status_code == 200, model._meta.label
    # Every domain model, and the accounts, were actually exercised.
    assert DOMAIN_MODELS | {User} <= seen


def test_the_admin_index_renders(register, admin_client):
    assert admin_client.get(reverse("admin:index")).status_code == 200


def test_a_claims_change_page_shows_its_evidence_verdict_and_history(register, admin_client):
    response = admin_client.get(admin_url(Claim, "change", register.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Evidence 0" in content
    assert "The figure is wrong." in content
    assert "Rita Reviewer" in content


@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m.__name__)
def test_register_records_cannot_be_added_changed_or_deleted(register, admin_client, superuser, rf, model):
    request = rf.get("/")
    request.user = superuser
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)

    obj = model._default_manager.order_by("pk").first()
    assert admin_client.get(admin_url(model, "add")).status_code == 403
    assert admin_client.get(admin_url(model, "delete", obj.pk)).status_code == 403
    before = list(model._default_manager.order_by("pk").values())
    assert admin_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    response = admin_client.post(admin_url(model, "changelist"),
                                 {"action": "delete_selected", "_selected_action": [obj.pk], "index": "0",
                                  "post": "yes"})
    assert response.status_code in (200, 302)
    assert list(model._default_manager.order_by("pk").values()) == before


def test_admin_action_start_research_goes_through_the_workflow(editor, admin_client, superuser):
    claim = new_claim(actor=editor)
    already = published_claim(actor=editor, approver=UserFactory(is_superuser=True))
    already_version = Claim.objects.get(pk=already.pk).version
    response = admin_client.post(admin_url(Claim, "changelist"), {
        "action": "start_research", "_selected_action": [claim.pk, already.pk], "index": "0",
    })
    assert response.status_code == 302

    claim.refresh_from_db()
    assert (claim.status, claim.assignee, claim.version) == (Claim.Status.RESEARCHING, superuser, 2)
    event = ClaimEvent.objects.filter(claim=claim).latest("at", "id")
    assert (event.kind, event.actor, event.actor_name) == (ClaimEvent.Kind.RESEARCH_STARTED, superuser, "Sue Super")
    assert (event.from_status, event.to_status) == (Claim.Status.NEW, Claim.Status.RESEARCHING)
    # A claim that is not new is left alone: no event, no version bump.
    assert Claim.objects.get(pk=already.pk).version == already_version


def test_start_research_action_is_not_offered_to_staff_who_are_not_editors(register, client, rf):
    staff = UserFactory(username="stan", is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_claim"))
    staff = User.objects.get(pk=staff.pk)
    request = rf.get("/")
    request.user = staff
    assert "start_research" not in admin.site._registry[Claim].get_actions(request)

    claim = new_claim(actor=UserFactory(username="ed", groups=["Editors"]))
    client.force_login(staff)
    client.post(admin_url(Claim, "changelist"),
                {"action": "start_research", "_selected_action": [claim.pk], "index": "0"})
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEW


def test_the_workflow_refusal_shows_as_an_admin_message(editor, admin_client, monkeypatch):
    claim = new_claim(actor=editor)

    def refuse(**kwargs):
        raise workflow.WorkflowError("Refused for the test.")

    monkeypatch.setattr(workflow, "start_research", refuse)
    response = admin_client.post(admin_url(Claim, "changelist"), {
        "action": "start_research", "_selected_action": [claim.pk], "index": "0",
    }, follow=True)
    assert "Refused for the test." in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.NEW
