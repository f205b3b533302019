"""The builder pages load in the same number of queries whatever the data size."""

import pytest
from django.urls import reverse

from programs import services
from tests.programs.factories import ExerciseFactory, PrescriptionFactory, SessionTemplateFactory
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def coach_client(client, coach_user):
    client.force_login(coach_user)
    return client


def _template(owner, exercises):
    template = SessionTemplateFactory(owner=owner)
    for i in range(exercises):
        PrescriptionFactory(
            template=template,
            exercise=ExerciseFactory(is_unilateral=i % 2 == 0),
            position=i,
            per_side=i % 2 == 0,
        )
    return template


def test_template_builder_same_queries_for_2_and_12_exercises(coach_client, coach_user):
    small, large = _template(coach_user, 2), _template(coach_user, 12)
    small_count = page_queries(coach_client, reverse("programs:template-edit", args=[small.pk]))
    large_count = page_queries(coach_client, reverse("programs:template-edit", args=[large.pk]))
    assert small_count == large_count


def test_template_list_same_queries_for_1_and_6_library_templates(coach_client):
    _template(None, 2)
    one = page_queries(coach_client, reverse("programs:template-list"))
    for _ in range(5):
        _template(None, 4)
    assert page_queries(coach_client, reverse("programs:template-list")) == one


def _program(coach, name, weeks, exercises):
    slots = [("Day A", _template(coach, exercises)), ("Day B", _template(coach, exercises))]
    return services.program_create(coach=coach, name=name, weeks=weeks, slots=slots)


def test_program_week_grid_same_queries_for_6_and_8_weeks(coach_client, coach_user):
    six = _program(coach_user, "Six", 6, 3)
    eight = _program(coach_user, "Eight", 8, 3)
    assert page_queries(
        coach_client, reverse("programs:program-detail", args=[six.pk])
    ) == page_queries(coach_client, reverse("programs:program-detail", args=[eight.pk]))


def test_program_week_grid_same_queries_for_2_and_12_exercise_templates(coach_client, coach_user):
    small = _program(coach_user, "Small", 6, 2)
    large = _program(coach_user, "Large", 6, 12)
    assert page_queries(coach_client, reverse("programs:program-detail", args=[small.pk])) == (
        page_queries(coach_client, reverse("programs:program-detail", args=[large.pk]))
    )


def test_one_session_edit_same_queries_for_2_and_12_exercises(coach_client, coach_user):
    small = _program(coach_user, "Small", 6, 2).sessions.first()
    large = _program(coach_user, "Large", 6, 12).sessions.first()
    assert page_queries(
        coach_client, reverse("programs:program-session-edit", args=[small.pk])
    ) == page_queries(coach_client, reverse("programs:program-session-edit", args=[large.pk]))


def test_program_list_same_queries_for_1_and_5_programs(coach_client, coach_user):
    _program(coach_user, "P0", 6, 2)
    one = page_queries(coach_client, reverse("programs:program-list"))
    for i in range(1, 5):
        _program(coach_user, f"P{i}", 6, 2)
    assert page_queries(coach_client, reverse("programs:program-list")) == one
