"""`hemma bench-data [--municipalities 308] [--years 10] [--seed 1] [--activities N]
[--volunteers N] [--force]`: fill the database with the national-scale bench data set
(hemma/bench/data.py).

Run it on a database of its own (`hemma migrate` first): it erases the bench data it made
before, and refuses a database holding other data unless --force, which erases that too.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hemma.bench.data import Refused, Scale, bench_data


class Command(BaseCommand):
    help = "Fill an empty database with the national-scale synthetic data set of the benchmark."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Scale()
        parser.add_argument("--municipalities", type=int, default=defaults.municipalities)
        parser.add_argument("--years", type=int, default=defaults.years)
        parser.add_argument("--seed", type=int, default=defaults.seed)
        parser.add_argument("--activities", type=int, default=defaults.activities)
        parser.add_argument("--volunteers", type=int, default=defaults.volunteers)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Erase everything in the database, even data that is not the bench's.",
        )

    def handle(self, *args, force: bool = False, **options) -> None:
        if not 1 <= options["municipalities"] <= 999 or options["years"] < 1:
            raise CommandError("Give 1–999 municipalities and at least one year.")
        scale = Scale(
            municipalities=options["municipalities"],
            years=options["years"],
            seed=options["seed"],
            activities=options["activities"],
            volunteers=options["volunteers"],
        )
        self.stdout.write(
            f"Bench data: {scale.municipalities} municipalities, years "
            f"{scale.first_year}–{scale.this_year}, seed {scale.seed}, {scale.activities:,} "
            f"activities, {scale.volunteers:,} friend persons."
        )
        try:
            bench_data(scale=scale, force=force, out=self.stdout.write)
        except Refused as refused:
            raise CommandError(str(refused)) from None
