"""The coach's roster dashboard page."""

from allauth.account.utils import has_verified_email
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from athletes.rules.progress import LOW_COMPLIANCE_PERCENT, RACING_SOON_DAYS
from coach import dashboard
from web.access import coach_required
from web.kept_pages import kept_page, no_scoped_writes
from web.pagination import page_navigation


@require_GET
@coach_required
@kept_page(shows=no_scoped_writes)  # its rows count sessions done, never the sets logged
def dashboard_show(request):
    """The roster, a page at a time: searched by name as the coach types (htmx swaps the
    roster alone), filtered, sorted with who needs attention first, on every page."""
    form = dashboard.RosterFilterForm(request.GET)
    q, show = form.choice("q", ""), form.choice("show", "")
    sort = form.choice("sort", "attention")
    page, counts = dashboard.roster_page(
        request.user, show=show, sort=sort, query=q, page=request.GET.get("page")
    )
    total = counts["total"]

    def url(**changes):
        return dashboard.dashboard_query(**({"q": q, "show": show, "sort": sort} | changes))

    context = {
        "page": page,
        "rows": page.object_list,
        # reverse() once, not once a row: it was a third of the render for 500 athletes.
        "athlete_url_prefix": reverse("athletes:athlete-detail", args=[0]).removesuffix("0/"),
        "filters": [
            (key, label, counts[key or "all"], url(show=key))
            for key, (label, _) in dashboard.SHOW_FILTERS.items()
        ],
        "sort_urls": {key: url(sort=key) for key in dashboard.SORTS},
        **page_navigation(page, url),
        "show_all_url": url(show="", q=""),
        "q": q,
        "show": show,
        "sort": sort,
        "sorts": form.fields["sort"].choices,
        "total": total,
        "matching": counts[show or "all"],
        "low_compliance_percent": LOW_COMPLIANCE_PERCENT,
        "racing_soon_days": RACING_SOON_DAYS,
        # A new coach's first steps say that inviting waits for the confirmed address.
        "email_verified": total == 0 and has_verified_email(request.user),
    }
    # As the coach types, htmx asks for the roster alone; the search box keeps its focus.
    template = "coach/dashboard.html#roster" if request.htmx else "coach/dashboard.html"
    return render(request, template, context)
