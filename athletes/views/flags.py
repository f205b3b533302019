"""Flags: the coach's list of heavy sessions too close to races, and the two answers to one —
move the session to the suggested day, or keep it anyway. With htmx the flag's card is
swapped in place; without, the coach goes back to the page they came from."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from athletes.selectors import flags as selectors
from athletes.services import flag_answers
from web.access import coach_required, next_url_or


@require_GET
@coach_required
def flag_list(request):
    flags = selectors.flags_open_for_coach(request.user)
    return render(request, "athletes/flags.html", {"flags": flags})


def _answer(request, flag_id, *, done="", error=""):
    next_url = next_url_or(request, reverse("athletes:flag-list"))
    if request.htmx:
        flag = selectors.flag_get_for_coach(request.user, flag_id)
        context = {"flag": flag, "error": error, "next_url": next_url}
        return render(request, "athletes/flags.html#flag-item", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(next_url)


@require_POST
@coach_required
def flag_acknowledge(request, pk):
    flag = selectors.flag_get_for_coach(request.user, pk)
    try:
        flag_answers.flag_acknowledge(flag=flag)
    except ValidationError as error:
        return _answer(request, pk, error=" ".join(error.messages))
    return _answer(request, pk, done=f"Kept {flag.scheduled_session.name} where it is.")


@require_POST
@coach_required
def flag_move(request, pk):
    flag = selectors.flag_get_for_coach(request.user, pk)
    try:
        session = flag_answers.flag_move_to_suggestion(flag=flag)
    except ValidationError as error:
        return _answer(request, pk, error=" ".join(error.messages))
    return _answer(request, pk, done=f"Moved {session.name} to {session.date:%A %-d %B}.")
