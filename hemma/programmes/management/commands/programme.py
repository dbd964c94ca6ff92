"""`hemma programme list|import|export`: programmes from the command line."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from hemma.lib.problems import ProblemsFound
from hemma.lib.texts import pick
from hemma.programmes.interchange.files import EXPORT_FORMATS, document_from_file, export_file
from hemma.programmes.interchange.importing import programme_import
from hemma.programmes.models import Programme


class Command(BaseCommand):
    help = "List, import and export programmes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("list", help="One programme a line, its slug first.")
        imp = sub.add_parser("import", help="Import a programme from YAML, JSON, XLSX or CSV.")
        imp.add_argument("file")
        imp.add_argument(
            "--dry-run", action="store_true", help="Show what would change; change nothing."
        )
        imp.add_argument(
            "--programme",
            metavar="SLUG",
            help="For XLSX and CSV: the programme whose action table the file holds.",
        )
        exp = sub.add_parser("export", help="Write a programme to standard output or a file.")
        exp.add_argument("slug")
        exp.add_argument("--format", choices=sorted(EXPORT_FORMATS), default="json")
        exp.add_argument("-o", "--output", help="File to write; standard output if left out.")

    def handle(self, *args, subcommand: str, **options) -> None:
        getattr(self, f"_{subcommand}")(**options)

    def _list(self, **options) -> None:
        for p in Programme.objects.select_related("region").order_by("slug"):
            title = pick(p.title, fallback=p.language)
            period = f"{p.period_start}–{p.period_end}"
            self.stdout.write(f"{p.slug}\t{period}\t{p.status}\t{p.region.key}\t{title}")

    def _import(self, *, file: str, dry_run: bool, programme: str | None, **options) -> None:
        target = None
        if programme:
            target = Programme.objects.filter(slug=programme).first()
            if target is None:
                raise CommandError(_("No programme “%(slug)s”.") % {"slug": programme})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": file})
        try:
            with path.open("rb") as stream:
                document = document_from_file(stream, name=path.name, programme=target)
            result = programme_import(
                actor=None, document=document, dry_run=dry_run, file=path.name
            )
        except ProblemsFound as found:
            for problem in found.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                _("%(count)s problem(s); nothing was changed.") % {"count": len(found.problems)}
            ) from None
        for change in result.changes:
            fields = ", ".join(change.fields)
            self.stdout.write(
                f"{change.verb:7} {change.node:12} {change.key:30} {change.label}"
                + (f"  [{fields}]" if fields else "")
            )
        counts = {
            "slug": result.programme.slug,
            "added": result.added,
            "changed": result.changed,
            "removed": result.removed,
        }
        if dry_run:
            summary = _(
                "Would import %(slug)s: %(added)s added, %(changed)s changed, %(removed)s removed."
            )
        else:
            summary = _(
                "Imported %(slug)s: %(added)s added, %(changed)s changed, %(removed)s removed."
            )
        self.stdout.write(summary % counts)

    def _export(self, *, slug: str, format: str, output: str | None, **options) -> None:
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            raise CommandError(_("No programme “%(slug)s”.") % {"slug": slug})
        content, _type, _name = export_file(programme, format)
        if output:
            Path(output).write_bytes(content)
        else:
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
