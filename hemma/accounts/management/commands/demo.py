"""`hemma demo`: load the demo region, programme and users (keeps data on a second run)."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from hemma.accounts.demo import DEMO_USERS, demo_load
from hemma.accounts.models import User
from hemma.followup.demo import demo_rounds_load, demo_values_load
from hemma.information.demo import demo_information_load
from hemma.registries.demo import demo_activities_load, demo_statistics_load
from hemma.registries.demo_placements import demo_placements_load
from hemma.surveys.demo import demo_survey_load
from hemma.volunteers.demo import demo_volunteers_load


class Command(BaseCommand):
    help = "Load the demo: a region of five municipalities sharing the seed programme, and users."

    def handle(self, *args, **options) -> None:
        programme, loaded, users, password = demo_load()
        state = "loaded" if loaded else "already there, kept as it is"
        self.stdout.write(f"Demo programme “{programme}” ({programme.slug}): {state}.")
        # Only a programme without values gets them: a second run keeps what is there.
        values = demo_values_load(programme=programme)
        self.stdout.write(
            f"Demo values 2023–2025: {values} loaded."
            if values
            else "Demo values: already there, kept as they are."
        )
        # The activities of 2025 after the typed-in values (a programme with values gets no
        # more) and before the rounds (a reporter whose counted values are in is ready).
        activities = demo_activities_load(programme=programme)
        self.stdout.write(
            f"Demo activities 2025: {activities} recorded, counted in the follow-up."
            if activities
            else "Demo activities: already there, kept as they are."
        )
        # The service statistics of 2023–2025, before the rounds (an approved round would
        # keep the integration plans counted from them as they were typed in).
        statistics = demo_statistics_load(programme=programme)
        self.stdout.write(
            f"Demo service statistics 2023–2025: {statistics} figures recorded."
            if statistics
            else "Demo service statistics: already there, kept as they are."
        )
        # Friend persons and placements, before the rounds for the same reason.
        volunteers = demo_volunteers_load(programme=programme)
        self.stdout.write(
            f"Demo friend persons: {volunteers} recorded, counted in the follow-up."
            if volunteers
            else "Demo friend persons: already there, kept as they are."
        )
        placements = demo_placements_load(programme=programme)
        self.stdout.write(
            f"Demo placements 2023–2025: {placements} recorded, counted in the follow-up."
            if placements
            else "Demo placements: already there, kept as they are."
        )
        # The survey of immigrants of 2025 and its answers, before the rounds: the seed's two
        # indicators counted from it have their values of 2025 when the round opens.
        answers = demo_survey_load(programme=programme)
        self.stdout.write(
            f"Demo survey of immigrants 2025: open, {answers} answers counted in the follow-up."
            if answers
            else "Demo survey: already there, kept as it is."
        )
        coordinator = User.objects.get(username=DEMO_USERS[0][0])
        # The information sites, the resident guide and their use since 2023, before the
        # rounds for the same reason: the material made and used is counted in the follow-up.
        pages = demo_information_load(programme=programme, actor=coordinator)
        self.stdout.write(
            f"Demo information sites: {pages} pages in their languages, used since 2023, "
            "counted in the follow-up."
            if pages
            else "Demo information sites: already there, kept as they are."
        )
        # The rounds after the values: an approved round locks its period.
        with transaction.atomic():
            rounds = demo_rounds_load(
                programme=programme, actor=coordinator, today=timezone.localdate()
            )
        self.stdout.write(
            f"Demo reporting rounds: {rounds} opened (2023 and 2024 approved, 2025 open)."
            if rounds
            else "Demo reporting rounds: already there, kept as they are."
        )
        self.stdout.write("Demo users (log in at /sv/accounts/login/):")
        for username, description in users:
            self.stdout.write(f"  {username:12} {description}")
        self.stdout.write(f"Password for all of them: {password}")
