"""Load the claims of the two seed articles (claims/demo_data.py), walking some through the workflow.

Idempotent: sources, claimants and topics are matched on their natural keys, and a claim that already
exists (same text, same source) is left alone, so a second run adds nothing.
"""

import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from claims import demo_data, workflow
from claims.models import Claim, Claimant, Evidence, Rating, Source, Topic

SEEDS = settings.BASE_DIR.parent / "shared" / "seeds"

# Accounts that walk the demo claims through the workflow. They have no usable password: nobody logs in
# as them. Log-in accounts are created only with --with-users.
DESK_ACTOR = ("demo-researcher", "Demo", "Researcher", "Editors")
REVIEW_ACTOR = ("demo-reviewer-{n}", "Demo", "Reviewer {n}", "Reviewers")
LOGIN_USERS = [("editor", "Editors", False), ("reviewer", "Reviewers", False), ("admin", "Reviewers", True)]


class Command(BaseCommand):
    help = "Load the demo claims from the two seed articles. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--with-users", action="store_true",
            help="Also create log-in accounts editor, reviewer and admin, with fresh random passwords.",
        )

    def handle(self, *args, with_users=False, **options):
        with transaction.atomic():
            sources = {s["key"]: self.source(s) for s in demo_data.SOURCES}
            claimants = {c["slug"]: self.claimant(c) for c in demo_data.CLAIMANTS}
            topics = {t["slug"]: Topic.objects.get_or_create(slug=t["slug"], defaults={"name": t["name"]})[0]
                      for t in demo_data.TOPICS}
        researcher = self.actor(*DESK_ACTOR)
        reviewers = [self.actor(*(part.format(n=n) for part in REVIEW_ACTOR))
                     for n in range(1, settings.REQUIRED_APPROVALS + 1)]

        created = 0
        total = len(demo_data.CLAIMS)
        for index, spec in enumerate(demo_data.CLAIMS, start=1):
            source = sources[spec["source"]]
            if Claim.objects.filter(text=spec["text"], source=source).exists():
                self.stdout.write(f"[{index}/{total}] exists: {spec['key']}")
                continue
            with transaction.atomic():
                self.walk(spec, source, claimants[spec["claimant"]], [topics[t] for t in spec["topics"]],
                          researcher, reviewers)
            created += 1
            self.stdout.write(f"[{index}/{total}] {spec['stage']}: {spec['key']}")
        self.stdout.write(self.style.SUCCESS(f"Demo data: {created} claim(s) added, {total - created} already there."))
        self.analyse(sources.values())

        if with_users:
            self.login_users()

    def source(self, spec):
        source, _ = Source.objects.get_or_create(
            title=spec["title"],
            defaults={k: spec[k] for k in ("outlet", "author", "published_on", "language", "url")},
        )
        # The articles stay out of the repository (seeds README); read from ../shared/seeds when present, the
        # text is kept in the database so that the intake workspace can show it analysed (issue 14).
        seed = SEEDS / spec["seed_file"]
        source.text = seed.read_text(encoding="utf-8") if seed.exists() else ""
        return source

    def analyse(self, sources):
        """Keep each seed's text and run intake on it, when the seeds are there and intake is installed."""
        for source in sources:
            if not source.text:
                continue
            Source.objects.filter(pk=source.pk).update(text=source.text)
            if apps.is_installed("intake"):
                from intake.analysis import analyse_source

                analysis = analyse_source(source)
                self.stdout.write(f"Intake: {source.title}: {len(analysis.sentences)} sentences analysed")

    def claimant(self, spec):
        return Claimant.objects.get_or_create(
            slug=spec["slug"], defaults={k: spec[k] for k in ("name", "kind", "description", "same_as")}
        )[0]

    def actor(self, username, first_name, last_name, group):
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_unusable_password()
            user.save()
        user.groups.add(Group.objects.get(name=group))
        return get_user_model().objects.get(pk=user.pk)  # fresh, so its permission cache sees the group

    def walk(self, spec, source, claimant, topics, researcher, reviewers):
        """Create the claim and take it to its stage through the real workflow functions."""
        claim = workflow.create_claim(
            actor=researcher, text=spec["text"], quote=spec["quote"], claimant=claimant, source=source,
            language="en", topics=topics,
        )
        if spec["stage"] == "new":
            return
        claim = workflow.start_research(claim=claim, actor=researcher, version=claim.version)
        if spec["stage"] == "researching":
            return
        workflow.add_evidence(
            claim=claim, actor=researcher, version=claim.version, stance=Evidence.Stance.CONTEXT,
            title="What the article itself shows", publisher=source.title, note=spec["evidence_note"],
        )
        claim.refresh_from_db()
        workflow.propose_verdict(
            claim=claim, actor=researcher, version=claim.version, rating=Rating.objects.get(slug=spec["rating"]),
            summary=spec["summary"], analysis=spec["analysis"],
        )
        for reviewer in reviewers:
            claim.refresh_from_db()
            workflow.approve(claim=claim, actor=reviewer, version=claim.version)

    def login_users(self):
        User = get_user_model()
        self.stdout.write("Log-in accounts (passwords are new on every run; keep them somewhere safe):")
        for username, group, is_superuser in LOGIN_USERS:
            user, _ = User.objects.get_or_create(username=username, defaults={"first_name": username.title()})
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.is_staff = user.is_superuser = is_superuser
            user.save()
            user.groups.add(Group.objects.get(name=group))
            self.stdout.write(f"  {username:<9} {password}  ({group}{', superuser' if is_superuser else ''})")


