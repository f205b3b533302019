"""The coach's roster dashboard page."""

from allauth.account.utils import has_verified_email
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from athletes.rules.progress import LOW_COMPLIANCE_PERCENT, RACING_SOON_DAYS
from coach import dashboard
from web.access import coach_required


@require_GET
@coach_required
def dashboard_show(request):
    form = dashboard.RosterFilterForm(request.GET)
    show, sort = form.choice("show", ""), form.choice("sort", "attention")
    rows = dashboard.roster_for_coach(request.user)
    counts = dashboard.roster_counts(rows)
    total = len(rows)
    return render(
        request,
        "coach/dashboard.html",
        {
            "rows": dashboard.roster_filtered(rows, show, sort),
            # reverse() once, not once a row: it was a third of the render for 500 athletes.
            "athlete_url_prefix": reverse("athletes:athlete-detail", args=[0]).removesuffix("0/"),
            "filters": [
                (key, label, counts[key]) for key, (label, _) in dashboard.SHOW_FILTERS.items()
            ],
            "show": show,
            "sort": sort,
            "sorts": form.fields["sort"].choices,
            "total": total,
            "low_compliance_percent": LOW_COMPLIANCE_PERCENT,
            "racing_soon_days": RACING_SOON_DAYS,
            # A new coach's first steps say that inviting waits for the confirmed address.
            "email_verified": total == 0 and has_verified_email(request.user),
        },
    )
