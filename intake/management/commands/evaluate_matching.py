"""MAP@5 of claim matching on the CLEF 2020 claim-retrieval data (../shared/data/claim-matching)."""

from django.core.management.base import BaseCommand

from intake import evaluation


class Command(BaseCommand):
    help = "Print claim matching's MAP@5 on the CLEF 2020 task 2 train and dev splits (target on dev: 0.90)."

    def handle(self, *args, **options):
        self.stdout.write("Embedding the 10,373 verified claims…")
        corpus = evaluation.verified_claims_corpus()
        for split in ("train", "dev"):
            score, queries = evaluation.map_at_5(corpus, split)
            self.stdout.write(f"CLEF 2020 {split} ({queries} tweets): MAP@5 {score:.4f}")
