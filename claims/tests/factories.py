"""factory_boy factories. Claims that need a state are walked there through claims.workflow, so tests
exercise the real rules rather than hand-set columns."""

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from claims import workflow
from claims.models import Claimant, Evidence, Rating, Source, Topic

User = get_user_model()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@newsroom.example")
    password = factory.django.Password("correct horse battery staple")

    groups = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, create, extracted))


def _join(user, create, names):
    if create and names:
        user.groups.set(Group.objects.filter(name__in=names))


class EditorFactory(UserFactory):
    groups = factory.PostGeneration(lambda user, create, extracted, **kw: _join(user, create, extracted or ["Editors"]))


class ReviewerFactory(UserFactory):
    groups = factory.PostGeneration(
        lambda user, create, extracted, **kw: _join(user, create, extracted or ["Reviewers"])
    )


class ClaimantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Claimant

    name = factory.Sequence(lambda n: f"Claimant {n}")
    slug = factory.Sequence(lambda n: f"claimant-{n}")
    description = "Minister"


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    title = factory.Sequence(lambda n: f"Source article {n}")
    url = factory.Sequence(lambda n: f"https://news.example/articles/{n}")
    outlet = "Example News"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.Sequence(lambda n: f"topic-{n}")


def rating(slug="false"):
    return Rating.objects.get(slug=slug)


def new_claim(*, actor, text="Frozen assets total 210 billion euros", **kwargs):
    if "claimant" not in kwargs:  # not setdefault: that would make a stray claimant even when one is given
        kwargs["claimant"] = ClaimantFactory()
    return workflow.create_claim(actor=actor, text=text, **kwargs)


def researching_claim(*, actor, evidence=1, **kwargs):
    claim = new_claim(actor=actor, **kwargs)
    claim = workflow.start_research(claim=claim, actor=actor, version=claim.version)
    for n in range(evidence):
        workflow.add_evidence(claim=claim, actor=actor, version=claim.version, title=f"Evidence {n}",
                              url=f"https://evidence.example/{n}", stance=Evidence.Stance.REFUTES)
        claim.refresh_from_db()
    return claim


def in_review_claim(*, actor, rating_slug="false", **kwargs):
    claim = researching_claim(actor=actor, **kwargs)
    workflow.propose_verdict(claim=claim, actor=actor, version=claim.version, rating=rating(rating_slug),
                             summary="The figure is wrong.", analysis="**Why** it is wrong.")
    claim.refresh_from_db()
    return claim


def published_claim(*, actor, approver, **kwargs):
    claim = in_review_claim(actor=actor, **kwargs)
    return workflow.approve(claim=claim, actor=approver, version=claim.version)


def token_client(user):
    """An API client that authenticates as ``user`` with their token (made if missing)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client
