import functools
import time

import factory
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as second_factor_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import encrypt
from django.conf import settings
from django.contrib.auth.hashers import make_password

from coach.models import User

TEST_PASSWORD = "correct-horse-battery-staple"
# The authenticator-app secret (base32) of every account the factories give a second factor.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


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

    @factory.post_generation
    def email_verified(obj, create, extracted, **kwargs):
        """An account from the factory has confirmed its address (as allauth records it),
        unless made with email_verified=False."""
        if create and obj.email:
            EmailAddress.objects.create(
                user=obj, email=obj.email.lower(), primary=True, verified=extracted is not False
            )


class CoachUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"coach{n}")
    role = User.Role.COACH


class AthleteUserFactory(UserFactory):
    username = factory.Sequence(lambda n: f"athlete{n}")
    role = User.Role.ATHLETE


class AdminUserFactory(UserFactory):
    """Staff as they are once set up: with an authenticator app (second_factor=False: not yet,
    so the admin sends them to set one up first)."""

    username = factory.Sequence(lambda n: f"admin{n}")
    is_staff = True
    is_superuser = True

    @factory.post_generation
    def second_factor(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            second_factor_turn_on(obj)


def second_factor_turn_on(user, secret=TEST_TOTP_SECRET):
    """An authenticator app for `user`, as allauth stores one once its code was confirmed."""
    return Authenticator.objects.create(
        user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)}
    )


def totp_code(secret=TEST_TOTP_SECRET, *, steps_ahead=0):
    """The code an authenticator app shows now (or `steps_ahead` periods later: allauth takes
    the neighbouring codes too, MFA_TOTP_TOLERANCE, and each code only once), computed as
    allauth computes it. The real clock, as the server's."""
    counter = int(time.time()) // second_factor_settings.TOTP_PERIOD + steps_ahead
    return format_hotp_value(hotp_value(secret, counter))
