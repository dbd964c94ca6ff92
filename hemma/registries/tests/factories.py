"""Factories for the registries' tests: the smallest valid activity."""

import datetime

import factory

from hemma.registries.models import Activity
from hemma.tests.factories import RegionFactory


class ActivityFactory(factory.django.DjangoModelFactory):
    """An activity; pass `municipalities=[…]` and `actions=[…]` to link it."""

    class Meta:
        model = Activity
        skip_postgeneration_save = True

    region = factory.SubFactory(RegionFactory)
    kind = Activity.Kind.EVENT
    title = factory.Sequence(lambda n: f"Activity {n}")
    starts_on = datetime.date(2024, 3, 1)

    @factory.post_generation
    def municipalities(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.municipalities.set(extracted)

    @factory.post_generation
    def actions(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.actions.set(extracted)
