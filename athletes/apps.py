from django.apps import AppConfig


class AthletesConfig(AppConfig):
    name = "athletes"
    verbose_name = "Athletes and training"

    def ready(self):
        from . import signals  # noqa: F401  (connects the receivers)
