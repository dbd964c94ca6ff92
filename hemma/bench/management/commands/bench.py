"""`hemma bench [--repeat 20] [--json FILE] [--only NAME ...]`: time issue 8's operations
against their floors on the bench data (hemma/bench/runner.py, docs/performance.md).

Refuses unless the database is PostgreSQL and holds the bench data (`hemma bench-data`);
`--any-data` measures whatever the database holds (the demo, SQLite), for trying it out.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from hemma.bench import runner
from hemma.organisations.models import Region

NAMES = (
    "frame",
    "grid",
    "dashboard",
    "history",
    "computed-one",
    "computed-national",
    "api-values",
    "report-pdf",
    "report-xlsx",
    "csv-national",
)


class Command(BaseCommand):
    help = "Time the national-scale operations against their raw-SQL floors."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--repeat", type=int, default=20, help="Timed runs of each operation (default 20)."
        )
        parser.add_argument("--json", metavar="FILE", help="Also write the results as JSON.")
        parser.add_argument(
            "--only", nargs="+", metavar="NAME", choices=NAMES, help="Only these operations."
        )
        parser.add_argument(
            "--any-data",
            action="store_true",
            help="Measure whatever the database holds (any region, any database), not only "
            "the bench data on PostgreSQL: for trying the benchmark out.",
        )

    def handle(self, *args, repeat: int, json: str | None, only, any_data: bool, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        if not any_data:
            if connection.vendor != "postgresql":
                raise CommandError(
                    "The benchmark runs on PostgreSQL: set DATABASE_URL=postgres://… "
                    f"(this one is {connection.vendor})."
                )
            if not Region.objects.filter(key__startswith=runner.BENCH_PREFIX).exists():
                raise CommandError(
                    "No bench data in this database: run `hemma bench-data` first "
                    "(e.g. `hemma bench-data --municipalities 308 --years 10`)."
                )
        try:
            subject, results = runner.bench_run(
                repeat=repeat,
                only=only or (),
                prefix="" if any_data else runner.BENCH_PREFIX,
                progress=lambda name: self.stderr.write(f"measuring {name}…"),
            )
        except (runner.NoBenchData, runner.BenchFailed) as error:
            raise CommandError(str(error)) from None
        described = ", ".join(f"{key} {value}" for key, value in subject.describe().items())
        self.stdout.write(f"On {connection.vendor}: {described}\n")
        self.stdout.write(runner.table(results))
        if json:
            Path(json).write_text(runner.as_json(subject, results, repeat=repeat) + "\n")
            self.stdout.write(f"\nWrote {json}.")
