from django.contrib.auth.signals import user_logged_out
from django.db.models import F
from django.dispatch import receiver


@receiver(user_logged_out)
def end_other_sessions_on_logout(sender, request, user, **kwargs):
    """Logging out on one device logs out every device: a lost phone stays safe."""
    if user is not None:
        # `user` is request.user, a lazy proxy; `sender` is the real user class.
        sender.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
