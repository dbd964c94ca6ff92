"""`hemma token create USERNAME [--name NAME]`: a personal access token for the API."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from hemma.accounts.services import token_create


class Command(BaseCommand):
    help = "Create a personal access token for the API."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        create = sub.add_parser("create", help="Make a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="command line")

    def handle(self, *args, subcommand: str, username: str, name: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        _token, secret = token_create(user=user, name=name)
        self.stdout.write(secret)
