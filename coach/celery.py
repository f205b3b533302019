import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coach.settings")

app = Celery("coach")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="coach.ping")
def ping():
    """Answers 'pong' from a worker: the smallest proof that broker and worker talk."""
    return "pong"
