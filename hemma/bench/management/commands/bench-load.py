"""`hemma bench-load [--seconds 15] [--connections 4] [--json FILE]`: recording values through
the API, sustained, against a bare one-insert view as the floor (hemma/bench/load.py)."""

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from hemma.bench.load import load_run


class Command(BaseCommand):
    help = "Record values through the API under load (wrk, two gunicorn workers) against a floor."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seconds", type=int, default=15)
        parser.add_argument("--connections", type=int, default=4)
        parser.add_argument("--json", dest="json_file", default="")

    def handle(self, *args, seconds: int, connections: int, json_file: str, **options) -> None:
        try:
            result = load_run(seconds=seconds, connections=connections)
        except RuntimeError as error:
            raise CommandError(str(error)) from None
        for name in ("floor", "record"):
            run = result[name]
            self.stdout.write(
                f"{name:7} {run['per_second']:8.1f} req/s  p99 {run['p99_ms']:8.1f} ms  "
                f"{run['requests']} requests, {run['errors']} errors, {run['rows']} rows, "
                f"{run['lost']} lost"
            )
        mark = "✓" if result["met"] else "✗"
        self.stdout.write(
            f"record/floor throughput {result['ratio']:.2f} (target ≥ 0.50, no error, nothing "
            f"lost) {mark}"
        )
        if json_file:
            with open(json_file, "w") as out:
                json.dump(result, out, indent=2)
