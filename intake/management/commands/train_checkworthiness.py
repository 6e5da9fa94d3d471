"""Train the check-worthiness model from ../shared/data/checkworthiness and write it as plain numbers."""

from pathlib import Path

from django.core.management.base import BaseCommand

from intake import checkworthiness, training


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model (seeded, reproducible) from ClaimBuster and the CLEF 2019 training "
        "debates, print ClaimBuster's 4-fold CV F1 and ROC AUC and the held-out debates' MAP, and write the "
        "model as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--output", type=Path, default=checkworthiness.MODEL_PATH)
        parser.add_argument(
            "--skip-cross-validation", action="store_true",
            help="Only fit and write the model (the CV does not change the file).",
        )

    def handle(self, *args, seed, output, skip_cross_validation, **options):
        if not skip_cross_validation:
            f1, auc = training.cross_validate_claimbuster(seed, progress=self.stdout.write)
            self.stdout.write(f"ClaimBuster 4-fold CV: F1 (check-worthy) {f1:.4f}, ROC AUC {auc:.4f}")
        data, held_out_map, held_out = training.train(seed, progress=self.stdout.write)
        self.stdout.write(f"CLEF 2019 held-out debates ({', '.join(held_out)}): MAP {held_out_map:.4f}")
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(training.dumps(data), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
