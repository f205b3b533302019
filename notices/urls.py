from django.urls import path

from notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="notice-list"),
    path("preferences/", views.notice_preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.notice_unsubscribe, name="unsubscribe"),
]
