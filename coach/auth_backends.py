from axes.backends import AxesStandaloneBackend


class LoginAttemptGuard(AxesStandaloneBackend):
    """Counts and blocks repeated failed logins made through a web request.

    authenticate() without a request comes from our own code (management commands, the test
    client's login()), never from a browser, so there is nothing to throttle there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
