"""`hemma report PROGRAMME --period 2024 [--municipality CODE] --format pdf|docx|xlsx
[--language sv|fi|en] -o FILE`: the council report from the command line.

Reads everything (hemma.programmes.policies.EVERYTHING): whoever runs `hemma` on the server
reads the database anyway. The same report as from the web (hemma/reports/building.py).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from hemma.organisations.models import Municipality
from hemma.programmes.models import Programme
from hemma.programmes.policies import EVERYTHING
from hemma.reports.building import (
    FORMATS,
    LANGUAGES,
    ReportError,
    ReportSpec,
    build,
)


class Command(BaseCommand):
    help = "Write the follow-up report of a programme for a period (PDF, Word or Excel)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("programme", metavar="PROGRAMME", help="The programme's slug.")
        parser.add_argument("--period", required=True, help="The period: 2024, 2024H1, 2024Q3.")
        parser.add_argument(
            "--municipality",
            metavar="CODE",
            help="The municipality's official code; the whole programme if left out.",
        )
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--language", choices=LANGUAGES, default="sv")
        parser.add_argument("-o", "--output", required=True, metavar="FILE", help="File to write.")

    def handle(
        self,
        *args,
        programme: str,
        period: str,
        municipality: str | None,
        format: str,
        language: str,
        output: str,
        **options,
    ) -> None:
        # The command's own messages in the report's language too.
        with translation.override(language):
            found = Programme.objects.filter(slug=programme).first()
            if found is None:
                raise CommandError(_("No programme “%(slug)s”.") % {"slug": programme})
            place = None
            if municipality:
                place = Municipality.objects.filter(code=municipality).first()
                if place is None:
                    raise CommandError(
                        _("No municipality with the code %(code)s.") % {"code": municipality}
                    )
            spec = ReportSpec(
                programme=found,
                period=period,
                format=format,
                language=language,
                municipality=place,
            )
            try:
                content = build(spec, reader=EVERYTHING)
            except ReportError as error:
                raise CommandError(str(error)) from None
            try:
                Path(output).write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("Could not write %(file)s: %(error)s") % {"file": output, "error": error}
                ) from None
            self.stdout.write(_("Wrote %(file)s.") % {"file": output})
