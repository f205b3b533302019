import factory

from programs.models import Exercise, Prescription, SessionTemplate
from tests.coach.factories import CoachUserFactory


class ExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Exercise

    name = factory.Sequence(lambda n: f"Exercise {n}")
    category = Exercise.Category.STRENGTH
    pattern = Exercise.Pattern.SQUAT
    status = Exercise.Status.PUBLISHED


class SessionTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionTemplate

    name = factory.Sequence(lambda n: f"Session {n}")
    owner = factory.SubFactory(CoachUserFactory)


class PrescriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prescription

    template = factory.SubFactory(SessionTemplateFactory)
    exercise = factory.SubFactory(ExerciseFactory)
    position = factory.Sequence(lambda n: n)
    sets = 3
    reps_min = 6
    reps_max = 8
