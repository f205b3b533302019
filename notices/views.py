"""The notices list, the preferences page and the one-click unsubscribe (no sign-in)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core import signing
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from notices import services
from notices.forms import NoticePreferencesForm
from notices.models import Kind, Notice
from web.access import coach_or_athlete_required, form_error_status

NOTICES_SHOWN = 50


@require_GET
@coach_or_athlete_required
def notice_list(request):
    notices = list(Notice.objects.filter(recipient=request.user)[:NOTICES_SHOWN])
    services.notices_mark_read(request.user)
    return render(request, "notices/list.html", {"notices": notices})


@require_http_methods(["GET", "POST"])
@coach_or_athlete_required
def notice_preferences(request):
    choices = services.notice_settings_for(request.user)
    if request.method == "POST":
        form = NoticePreferencesForm(request.POST, user=request.user)
        if form.is_valid():
            services.notice_settings_update(
                user=request.user,
                kinds_on=form.kinds_on_with_hidden(choices.kinds_off),
                quiet_from=form.cleaned_data["quiet_from"],
                quiet_until=form.cleaned_data["quiet_until"],
            )
            messages.success(request, "Saved.")
            return redirect("notices:preferences")
        status = form_error_status(form)
    else:
        form = NoticePreferencesForm(
            user=request.user,
            initial={
                "kinds_on": [kind for kind in Kind.values if choices.wants(kind)],
                "quiet_from": choices.quiet_from,
                "quiet_until": choices.quiet_until,
            },
        )
        status = 200
    return render(request, "notices/preferences.html", {"form": form}, status=status)


# No sign-in and no CSRF token: a mail client's one-click POST carries neither; the signed
# token is the authority, and all it can do is turn emails off.
@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def notice_unsubscribe(request, token):
    """An email's link: a GET asks (a mail scanner's visit changes nothing), a POST — the
    button, or the mail client's one-click (List-Unsubscribe-Post) — turns the kinds off."""
    try:
        user, kinds = services.unsubscribe_read(token)
    except signing.BadSignature:
        return render(request, "notices/unsubscribe.html", {"refused": True}, status=400)
    done = request.method == "POST"
    if done:
        services.notice_kinds_turn_off(user, kinds)
    labels = [Kind(kind).label.lower() for kind in kinds]
    return render(request, "notices/unsubscribe.html", {"labels": labels, "done": done})
