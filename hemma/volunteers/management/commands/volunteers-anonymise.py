"""`hemma volunteers-anonymise [--dry-run]`: make anonymous the friend persons inactive for
longer than HEMMA_VOLUNTEER_RETENTION_MONTHS (default 24).

Meant for a daily cron job (docs/registries.md, "Friend persons"). The name is the file's:
`hemma` is Django's manage.py, and a command is named after its module. Running it twice
changes nothing the second time.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from hemma.volunteers.services import volunteers_anonymise


class Command(BaseCommand):
    help = (
        "Make anonymous the friend persons inactive for longer than "
        "HEMMA_VOLUNTEER_RETENTION_MONTHS (run once a day)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="List the friend persons due (by code); change nothing.",
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        done = volunteers_anonymise(dry_run=dry_run)
        months = settings.HEMMA_VOLUNTEER_RETENTION_MONTHS
        if dry_run:
            self.stdout.write(
                f"{len(done)} friend person(s) inactive for more than {months} months "
                "would be made anonymous:"
            )
            for volunteer in done:
                self.stdout.write(f"{volunteer.code}\t{volunteer.municipality_id}")
            return
        self.stdout.write(
            f"{len(done)} friend person(s) inactive for more than {months} months made anonymous."
        )
