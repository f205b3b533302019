import functools

import factory
from django.conf import settings
from django.contrib.auth.hashers import make_password

from coach.models import User

TEST_PASSWORD = "correct-horse-battery-staple"


def shared_password_hash():
    """Argon2 takes a good part of a second per hash: every test user shares this one (one per
    hasher setting, so a test that overrides PASSWORD_HASHERS never leaks its hash to others)."""
    return _password_hash(tuple(settings.PASSWORD_HASHERS))


@functools.cache
def _password_hash(hashers):
    return make_password(TEST_PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.password = make_password(extracted) if extracted else shared_password_hash()

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoachUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coach{n}")
    role = User.Role.COACH


class AthleteUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"athlete{n}")
    role = User.Role.ATHLETE


class AdminUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True
