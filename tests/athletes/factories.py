import datetime as dt

import factory
from django.utils import timezone

from athletes.models import Athlete, RunEvent
from tests.coach.factories import AthleteUserFactory, CoachUserFactory


class AthleteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Athlete

    user = factory.SubFactory(AthleteUserFactory)
    coach = factory.SubFactory(CoachUserFactory)
    time_zone = "Europe/London"


class RunEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RunEvent

    athlete = factory.SubFactory(AthleteFactory)
    kind = RunEvent.Kind.EASY
    name = factory.LazyAttribute(lambda e: RunEvent.Kind(e.kind).label)
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=3))
    duration_minutes = 45


class RaceFactory(RunEventFactory):
    kind = RunEvent.Kind.RACE
    name = "Parkrun 5K"
    priority = RunEvent.Priority.A
    distance_m = 5000
    duration_minutes = 25
