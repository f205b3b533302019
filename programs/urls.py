from django.urls import path  # noqa: F401

app_name = "programs"

urlpatterns = [
    # -- template builder --
    # -- program builder --
]
