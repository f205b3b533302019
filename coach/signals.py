from allauth.mfa import signals as second_factor_signals
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db.models import F
from django.dispatch import receiver


@receiver(user_logged_out)
def end_other_sessions_on_logout(sender, request, user, **kwargs):
    """Logging out on one device logs out every device: a lost phone stays safe."""
    if user is not None:
        # `user` is request.user, a lazy proxy; `sender` is the real user class.
        sender.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)


@receiver(second_factor_signals.authentication_failed)
def count_wrong_second_factor_codes(sender, request, user, **kwargs):
    """A wrong two-factor code is a failed sign-in to axes, like a wrong password: both count
    against the same limits (coach/login_attempts.py)."""
    user_login_failed.send(
        sender=__name__, credentials={"username": user.username}, request=request
    )
