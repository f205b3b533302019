from django.urls import path  # noqa: F401  (each feature section below adds its paths)

app_name = "athletes"

# One section per feature, so parallel work touches separate lines.
urlpatterns = [
    # -- pages (athlete home, coach's athlete list) --
    # -- scheduling and calendars --
    # -- logging --
    # -- flags --
    # -- progress and transfer tests --
]
