# Apart from 0007, so the rows are filled and committed before the constraints hold them
# (PostgreSQL can refuse to alter a table with trigger events pending from updating it).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("athletes", "0009_setlog_load_as_entered"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="setlog",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("load_entered__isnull", True), ("load_kg__isnull", True), ("load_unit", "")
                    ),
                    models.Q(
                        ("load_entered__isnull", False),
                        ("load_kg__isnull", False),
                        ("load_unit__in", ["kg", "lb"]),
                    ),
                    _connector="OR",
                ),
                name="set_log_load_kept_as_entered",
            ),
        ),
        migrations.AddConstraint(
            model_name="setlog",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("load_unit", "kg"), _negated=True),
                    ("load_kg", models.F("load_entered")),
                    _connector="OR",
                ),
                name="set_log_load_entered_in_kg_is_the_load",
            ),
        ),
    ]
