import pytest


@pytest.fixture
def fast_hasher(settings):
    """For tests that sign in (or fail to) many times: argon2 spends a second and more on each
    password it hashes, for a username that does not exist too."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
