from django.urls import path  # noqa: F401  (each feature section below adds its paths)

from athletes.views import pages

app_name = "athletes"

# One section per feature, so parallel work touches separate lines.
urlpatterns = [
    # -- pages (athlete home, coach's athlete list) --
    path("athletes/", pages.athlete_list, name="athlete-list"),
    path("upcoming/", pages.upcoming, name="upcoming"),
    # -- scheduling and calendars --
    # -- logging --
    # -- flags --
    # -- progress and transfer tests --
]
