"""Sessions move from Django's table to BrowserSession, which keeps the user each is signed in as
in a column of its own (coach.sessions reads both in one statement): every session still open
is copied with its user, so nobody is signed out by the change. Reversed, they go back."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import migrations, models
from django.utils import timezone


def _open_sessions(Session):
    return Session.objects.filter(expire_date__gt=timezone.now()).iterator()


def to_browser_sessions(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    BrowserSession = apps.get_model("coach", "BrowserSession")
    store = SessionStore()
    BrowserSession.objects.bulk_create(
        BrowserSession(
            session_key=session.session_key,
            session_data=session.session_data,
            expire_date=session.expire_date,
            user_id=store.decode(session.session_data).get(SESSION_KEY),
        )
        for session in _open_sessions(Session)
    )


def to_django_sessions(apps, schema_editor):
    Session = apps.get_model("sessions", "Session")
    BrowserSession = apps.get_model("coach", "BrowserSession")
    Session.objects.bulk_create(
        (
            Session(
                session_key=session.session_key,
                session_data=session.session_data,
                expire_date=session.expire_date,
            )
            for session in _open_sessions(BrowserSession)
        ),
        ignore_conflicts=True,  # a session still there from before the move
    )


class Migration(migrations.Migration):
    dependencies = [
        ("coach", "0005_sessions_signed_in_through_account_backend"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="BrowserSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "verbose_name": "session",
                "verbose_name_plural": "sessions",
                "abstract": False,
            },
        ),
        migrations.RunPython(to_browser_sessions, to_django_sessions),
    ]
