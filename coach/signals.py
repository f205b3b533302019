from django.contrib.auth.signals import user_logged_out
from django.db.models import F
from django.dispatch import receiver


@receiver(user_logged_out)
def end_other_sessions_on_logout(sender, request, user, **kwargs):
    """Logging out on one device logs out every device: a lost phone stays safe."""
    if user is not None:
        type(user).objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
