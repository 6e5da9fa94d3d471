"""Fine-tune claim matching's sentence model on the CLEF 2020 train split and write its tuned layers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from intake import finetuning, transformer


class Command(BaseCommand):
    help = (
        "Fine-tune all-MiniLM-L6-v2 (seeded) on the CLEF 2020 claim-retrieval train split and write its tuned "
        "layers as float16 safetensors. Needs requirements-train.txt (PyTorch); about 10 minutes on two cores. "
        "Then run embed_claims (or let the sweep do it) and evaluate_matching."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--output", type=Path, default=transformer.TUNED_WEIGHTS)

    def handle(self, *args, seed, output, **options):
        from safetensors.numpy import save_file

        try:
            tensors = finetuning.fine_tune(seed, progress=self.stdout.write)
        except ImportError as error:
            raise CommandError(str(error)) from error
        output.parent.mkdir(parents=True, exist_ok=True)
        save_file(tensors, str(output), metadata={"base": "sentence-transformers/all-MiniLM-L6-v2",
                                                  "data": "CLEF 2020 task 2 v3, train split", "seed": str(seed)})
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
