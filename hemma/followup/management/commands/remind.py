"""`hemma remind [--today YYYY-MM-DD]`: send the reporting rounds' reminders due today.

Meant for a daily cron job (see docs/reporting-round.md). Running it twice sends nothing
twice: each reminder stage is recorded as sent.
"""

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from hemma.followup.rounds import reminders_send


class Command(BaseCommand):
    help = "Send the reminders of open reporting rounds that are due (run once a day)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--today",
            help="The day to send for, as YYYY-MM-DD (default: today in TIME_ZONE).",
        )

    def handle(self, *args, today: str | None = None, **options) -> None:
        try:
            day = datetime.date.fromisoformat(today) if today else timezone.localdate()
        except ValueError:
            raise CommandError(f"“{today}” is not a date: write YYYY-MM-DD.") from None
        sent = reminders_send(today=day)
        self.stdout.write(f"{sent} reminder(s) sent.")
