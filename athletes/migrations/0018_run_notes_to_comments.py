# Data, apart from 0017's change to the thread table: PostgreSQL will not alter a table in the
# transaction that changed its rows (the way back deletes threads).

import uuid

from django.db import migrations, models

RUN_NOTE = uuid.UUID("0b7a6c1e-2f4d-4e8a-9c3b-5d6e7f809a1b")
NOTE_MAX_LENGTH = 500  # RunDone.note's, for the way back


def run_note_id(run_id, body):
    """The id a run's note gets as a comment: the same note on the same run is the same comment
    (athletes.services.conversation.run_note_comment_id makes it alike)."""
    return uuid.uuid5(RUN_NOTE, f"{run_id}:{body}")


def run_notes_to_comments(apps, schema_editor):
    """Each run's note becomes a comment by the athlete, at the time the run was recorded: in the
    planned run's thread when it was one, else in the run's own."""
    RunDone = apps.get_model("athletes", "RunDone")
    Thread = apps.get_model("athletes", "Thread")
    Comment = apps.get_model("athletes", "Comment")
    noted = RunDone.objects.exclude(note="").select_related("athlete").order_by("pk")
    for run in noted.iterator(chunk_size=500):
        body = run.note.strip()
        if not body:
            continue
        about = {"run_event_id": run.run_event_id} if run.run_event_id else {"run_done": run}
        thread, _ = Thread.objects.get_or_create(
            **about, defaults={"athlete_id": run.athlete_id, "created_at": run.created_at}
        )
        Comment.objects.get_or_create(
            id=run_note_id(run.pk, body),
            defaults={
                "thread": thread,
                "author_id": run.athlete.user_id,
                "body": body,
                "created_at": run.created_at,
            },
        )


def comments_to_run_notes(apps, schema_editor):
    """Back: the athlete's comments about each run, oldest first, joined into its note (cut to
    the note's length); the runs' own threads go, as the column that holds them does."""
    RunDone = apps.get_model("athletes", "RunDone")
    Thread = apps.get_model("athletes", "Thread")
    Comment = apps.get_model("athletes", "Comment")
    comments = (
        Comment.objects.filter(author_id=models.F("thread__athlete__user_id"))
        .filter(
            models.Q(thread__run_done__isnull=False)
            | models.Q(thread__run_event__done__isnull=False)
        )
        .order_by("created_at", "id")
        .values_list("thread__run_done_id", "thread__run_event__done__id", "body")
    )
    notes = {}
    for unplanned_id, planned_id, body in comments:
        notes.setdefault(unplanned_id or planned_id, []).append(body)
    for run_id, bodies in notes.items():
        RunDone.objects.filter(pk=run_id).update(note="\n\n".join(bodies)[:NOTE_MAX_LENGTH])
    Thread.objects.filter(run_done__isnull=False).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('athletes', '0017_run_done_thread'),
    ]

    operations = [
        migrations.RunPython(run_notes_to_comments, comments_to_run_notes),
        migrations.RemoveField(
            model_name='rundone',
            name='note',
        ),
    ]
