import factory

from programs.models import (
    Exercise,
    Intensity,
    Prescription,
    Program,
    ProgramSession,
    ProgramSlot,
    SessionTemplate,
)
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


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    coach = factory.SubFactory(CoachUserFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    weeks = 6


class ProgramSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramSlot

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(lambda n: n % 7)
    label = factory.Sequence(lambda n: f"Day {n}")
    template = factory.SubFactory(
        SessionTemplateFactory, owner=factory.SelfAttribute("..program.coach")
    )
    template_version = 1


class ProgramSessionFactory(factory.django.DjangoModelFactory):
    """One week's session of a program (its own slot unless given one)."""

    class Meta:
        model = ProgramSession

    program = factory.SubFactory(ProgramFactory)
    slot = factory.SubFactory(ProgramSlotFactory, program=factory.SelfAttribute("..program"))
    week = 1
    name = factory.Sequence(lambda n: f"Strength {n}")
    intensity = Intensity.HEAVY
    estimated_minutes = 60
