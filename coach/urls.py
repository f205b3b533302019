from allauth.account import views as account_views
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.generic import RedirectView

from coach import dashboard_views, views, your_data_views

# allauth's limits (sign-ups, reset emails, …) answer with the same page as a locked sign-in.
handler429 = "coach.views.too_many_requests"

urlpatterns = [
    # The admin signs in through our login page, which asks staff for their second factor.
    path("admin/login/", views.admin_login, name="admin-login"),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    # -- accounts: django-allauth's pages under accounts/, and the names we had before --
    path("accounts/", views.account_overview, name="account-overview"),
    path("accounts/login/", account_views.login, name="login"),
    # Logging out changes state: a POST only, as before (allauth would ask on a GET).
    path("accounts/logout/", require_POST(account_views.logout), name="logout"),
    path(
        "accounts/password_change/",
        RedirectView.as_view(pattern_name="account_change_password", permanent=True),
        name="password_change",
    ),
    path("accounts/password_change/done/", views.password_change_done, name="password_change_done"),
    path("accounts/", include("allauth.urls")),
    path("invitations/", views.invitation_list, name="invitation-list"),
    path("invitations/new/", views.invitation_create, name="invitation-create"),
    path("join/<str:token>/", views.invitation_accept, name="invitation-accept"),
    path(
        "join/<str:token>/with-my-account/",
        views.invitation_accept_signed_in,
        name="invitation-accept-signed-in",
    ),
    # -- your data and leaving --
    path("account/your-data/", your_data_views.your_data, name="your-data"),
    path(
        "account/your-data/download/",
        your_data_views.your_data_download,
        name="your-data-download",
    ),
    path("account/delete/", your_data_views.account_delete, name="account-delete"),
    path("", views.home, name="home"),
    # -- coach dashboard --
    path("dashboard/", dashboard_views.dashboard_show, name="dashboard"),
    path("programs/", include("programs.urls")),
    path("notices/", include("notices.urls")),
    path("", include("athletes.urls")),
]
