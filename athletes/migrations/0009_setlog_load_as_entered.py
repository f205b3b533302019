from django.db import migrations, models
from django.db.models import F

from athletes.rules.strength import pounds_entered

BATCH = 2000


def keep_loads_as_entered(apps, schema_editor):
    """Sets logged before the entry was kept were entered in the athlete's unit (the best
    guess): kilograms as stored, pounds found again from the stored kilograms."""
    SetLog = apps.get_model("athletes", "SetLog")
    loaded = SetLog.objects.filter(load_kg__isnull=False)
    loaded.filter(scheduled_session__athlete__unit="kg").update(
        load_entered=F("load_kg"), load_unit="kg"
    )
    in_pounds = loaded.filter(scheduled_session__athlete__unit="lb").only("pk", "load_kg")
    batch = []
    for set_log in in_pounds.iterator(chunk_size=BATCH):
        set_log.load_entered, set_log.load_unit = pounds_entered(set_log.load_kg), "lb"
        batch.append(set_log)
        if len(batch) == BATCH:
            SetLog.objects.bulk_update(batch, ["load_entered", "load_unit"])
            batch = []
    SetLog.objects.bulk_update(batch, ["load_entered", "load_unit"])


class Migration(migrations.Migration):
    dependencies = [
        ("athletes", "0008_flag_suggestion_reason"),
    ]

    operations = [
        migrations.AddField(
            model_name="setlog",
            name="load_entered",
            field=models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True),
        ),
        migrations.AddField(
            model_name="setlog",
            name="load_unit",
            field=models.CharField(blank=True, choices=[("kg", "kg"), ("lb", "lb")], max_length=2),
        ),
        migrations.RunPython(keep_loads_as_entered, migrations.RunPython.noop),
    ]
