"""Sessions signed in before coach.auth_backends.AccountBackend name allauth's backend, which is no
longer among AUTHENTICATION_BACKENDS: Django would treat them as signed out. They are moved to
AccountBackend (allauth's own, with the athlete read alongside), so nobody is signed out by the
change. Reversed, they go back."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations
from django.utils import timezone

ALLAUTH_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
ACCOUNT_BACKEND = "coach.auth_backends.AccountBackend"


def _sessions_moved(apps, old, new):
    Session = apps.get_model("sessions", "Session")
    store = SessionStore()
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        data = store.decode(session.session_data)
        if data.get(BACKEND_SESSION_KEY) == old:
            data[BACKEND_SESSION_KEY] = new
            session.session_data = store.encode(data)
            session.save(update_fields=["session_data"])


def to_account_backend(apps, schema_editor):
    _sessions_moved(apps, ALLAUTH_BACKEND, ACCOUNT_BACKEND)


def to_allauth_backend(apps, schema_editor):
    _sessions_moved(apps, ACCOUNT_BACKEND, ALLAUTH_BACKEND)


class Migration(migrations.Migration):
    dependencies = [
        ("coach", "0004_invitation_used_by_many"),
        ("sessions", "0001_initial"),
    ]

    operations = [migrations.RunPython(to_account_backend, to_allauth_backend)]
