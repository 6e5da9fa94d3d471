"""Backfill: embed every claim that has no vector (or all, with --all)."""

from django.core.management.base import BaseCommand

from claims.models import Claim
from intake.matching import store_claim_embeddings
from intake.tasks import claims_needing_vectors

BATCH = 1000


class Command(BaseCommand):
    help = "Compute the matching vectors of claims that lack one or changed since (--all: of every claim)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Recompute every claim's vector.")

    def handle(self, *args, all, **options):
        claims = Claim.objects.order_by("pk") if all else claims_needing_vectors()
        total = claims.count()
        done, last = 0, 0
        while True:
            batch = list(claims.filter(pk__gt=last).only("pk", "text", "quote")[:BATCH])
            if not batch:
                break
            store_claim_embeddings(batch)
            done, last = done + len(batch), batch[-1].pk
            self.stdout.write(f"{done}/{total} claims embedded")
        self.stdout.write(self.style.SUCCESS(f"Embedded {done} claims."))
