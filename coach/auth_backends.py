from allauth.account.auth_backends import AuthenticationBackend
from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model


class LoginAttemptGuard(AxesStandaloneBackend):
    """Counts and blocks repeated failed logins made through a web request.

    authenticate() without a request comes from our own code (management commands, the test
    client's login()), never from a browser, so there is nothing to throttle there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class AccountBackend(AuthenticationBackend):
    """allauth's sign-in (a username or an email address with the password), reading a signed-in
    athlete's profile with their user on each request: every athlete page needs it, and the
    set-log POST, an athlete's commonest request, then needs no read of its own for it."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("athlete")
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
