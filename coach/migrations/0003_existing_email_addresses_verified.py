"""Accounts made before django-allauth (by an admin, or by joining) get allauth's record of their
email address, trusted as verified: they were made by people the service already trusts, and a
coach needs a verified address to invite. An address two accounts share is verified for the
older one only (allauth allows one verified holder)."""

from django.db import migrations


def record_existing_addresses(apps, schema_editor):
    User = apps.get_model("coach", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    verified = set(EmailAddress.objects.filter(verified=True).values_list("email", flat=True))
    with_record = set(EmailAddress.objects.values_list("user_id", flat=True))
    for user_id, email in User.objects.exclude(email="").order_by("pk").values_list("pk", "email"):
        if user_id in with_record:
            continue
        email = email.lower()
        EmailAddress.objects.create(
            user_id=user_id, email=email, primary=True, verified=email not in verified
        )
        verified.add(email)


class Migration(migrations.Migration):
    dependencies = [
        ("coach", "0002_user_session_epoch"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(record_existing_addresses, migrations.RunPython.noop)]
