"""Factories for tests: the smallest valid objects, with names that read well in failures."""

import factory

from hemma.accounts.models import Membership, User
from hemma.organisations.models import Municipality, Organisation, Region
from hemma.programmes.models import Action, Goal, Indicator, Programme, Theme


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    key = factory.Sequence(lambda n: f"region-{n}")
    name = factory.LazyAttribute(lambda o: {"sv": f"Region {o.key}", "fi": f"Seutu {o.key}"})


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality

    # Three digits, as the constraint wants, however many tests ran before; between the seed's
    # codes (288, 440, 598, 599, 893) and apart from the fixtures' (101, 102, 201).
    code = factory.Sequence(lambda n: f"{600 + n % 293}")
    name = factory.LazyAttribute(lambda o: {"sv": f"Kommun {o.code}", "fi": f"Kunta {o.code}"})
    region = factory.SubFactory(RegionFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    region = factory.SubFactory(RegionFactory)
    key = factory.Sequence(lambda n: f"org-{n}")
    name = factory.LazyAttribute(lambda o: {"sv": f"Organisation {o.key}"})
    kind = Organisation.Kind.MUNICIPAL_UNIT


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    slug = factory.Sequence(lambda n: f"programme-{n}")
    region = factory.SubFactory(RegionFactory)
    language = "sv"
    title = factory.LazyAttribute(
        lambda o: {"sv": f"Program {o.slug}", "en": f"Programme {o.slug}"}
    )
    kind = Programme.Kind.INTEGRATION_PROGRAMME
    period_start = 2023
    period_end = 2025
    status = Programme.Status.APPROVED


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    programme = factory.SubFactory(ProgrammeFactory)
    key = factory.Sequence(lambda n: f"theme-{n}")
    title = factory.LazyAttribute(lambda o: {"sv": f"Tema {o.key}"})


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    theme = factory.SubFactory(ThemeFactory)
    key = factory.Sequence(lambda n: f"goal-{n}")
    title = factory.LazyAttribute(lambda o: {"sv": f"Mål {o.key}"})


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    goal = factory.SubFactory(GoalFactory)
    programme = factory.LazyAttribute(lambda o: o.goal.theme.programme)
    key = factory.Sequence(lambda n: f"action-{n}")
    title = factory.LazyAttribute(lambda o: {"sv": f"Åtgärd {o.key}"})
    followup = {"sv": "Gemensamma möten 2-4 ggr per år"}


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    key = factory.Sequence(lambda n: f"indicator-{n}")
    name = {"sv": "Gemensamma möten"}
    kind = Indicator.Kind.FREQUENCY_BAND
    target_type = Indicator.TargetType.BAND
    target_min = 2
    target_max = 4


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member(user: User, role: str, *, region=None, municipality=None, language="") -> User:
    Membership.objects.create(
        user=user, role=role, region=region, municipality=municipality, language=language
    )
    return user
