from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from coach import dashboard_views, views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # -- accounts: sign-in, password, invitations --
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password_change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("invitations/", views.invitation_list, name="invitation-list"),
    path("invitations/new/", views.invitation_create, name="invitation-create"),
    path("join/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path("", views.home, name="home"),
    # -- coach dashboard --
    path("dashboard/", dashboard_views.dashboard_show, name="dashboard"),
    path("programs/", include("programs.urls")),
    path("", include("athletes.urls")),
]
