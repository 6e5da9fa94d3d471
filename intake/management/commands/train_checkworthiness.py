"""Train the check-worthiness model from ../shared/data/checkworthiness and write it as plain numbers."""

from pathlib import Path

import numpy as np
from django.core.management.base import BaseCommand

from intake import checkworthiness, training


class Command(BaseCommand):
    help = (
        "Train the check-worthiness model (seeded, reproducible) from ClaimBuster and Snopes' checked claims, "
        "print ClaimBuster's 4-fold CV F1 and ROC AUC and the MAP on the CLEF 2019 debates, and write the "
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
        data, precisions = training.train(seed, progress=self.stdout.write)
        held_out = training.held_out_debates(precisions)
        self.stdout.write(
            f"CLEF 2019 debates, none learnt from: MAP {np.mean(list(precisions.values())):.4f} over all "
            f"{len(precisions)}; {np.mean([precisions[name] for name in held_out]):.4f} over the three earlier "
            f"models held out ({', '.join(held_out)})"
        )
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(training.dumps(data), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
