"""The calendar pages' pieces: the week or month a query string asks for, the pages either side,
and where the athlete's calendar and run pages live for whoever is looking — the athlete's own
URLs, or the coach's per-athlete ones."""

import calendar
import datetime as dt

from django.urls import reverse

from athletes.rules.progress import week_start
from athletes.selectors import scheduling as selectors
from athletes.services.scheduling import FIRST_DAY, LAST_DAY


def day_asked(value, default: dt.date) -> dt.date:
    """The date named 'YYYY-MM-DD' when a calendar can show it, else `default`."""
    try:
        date = dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default
    return date if FIRST_DAY <= date <= LAST_DAY else default


def month_asked(value, default: dt.date) -> dt.date:
    """The first day of the month named 'YYYY-MM', or of `default`'s month."""
    try:
        first = dt.datetime.strptime(value, "%Y-%m").date() if value else default
    except ValueError:
        first = default
    if not FIRST_DAY <= first <= LAST_DAY:
        first = default
    return first.replace(day=1)


def calendar_url(athlete, date: dt.date, *, for_coach: bool) -> str:
    """Where the calendar showing `date` lives: the coach's month of the athlete, or the
    athlete's own week."""
    if for_coach:
        return f"{reverse('athletes:athlete-calendar', args=[athlete.pk])}?month={date:%Y-%m}"
    return f"{reverse('athletes:calendar-week')}?day={date:%Y-%m-%d}"


def athlete_urls(athlete, *, for_coach: bool) -> dict:
    """The athlete's run-event pages, in the coach's or the athlete's own URLs."""
    if for_coach:
        args = [athlete.pk]
        return {
            "run_new": reverse("athletes:athlete-run-event-create", args=args),
            "run_weekly": reverse("athletes:athlete-run-event-weekly", args=args),
            "run_import": reverse("athletes:athlete-run-event-import", args=args),
            "runs_done": reverse("athletes:athlete-runs-done-upload", args=args),
            "assign": f"{reverse('athletes:assignment-create')}?athlete={athlete.pk}",
        }
    return {
        "run_new": reverse("athletes:run-event-create"),
        "run_weekly": reverse("athletes:run-event-weekly"),
        "run_import": reverse("athletes:run-event-import"),
        "runs_done": reverse("athletes:runs-done-upload"),
    }


def week_page(athlete, asked_day: str | None) -> dict:
    """The athlete's own week of `asked_day` (this week without one), with the weeks either
    side and its month."""
    today = athlete.today()
    monday = week_start(day_asked(asked_day, today))
    week_url = reverse("athletes:calendar-week")
    return {
        "athlete": athlete,
        "days": selectors.calendar_days(athlete, monday, monday + dt.timedelta(days=6)),
        "today": today,
        "monday": monday,
        "can_move": True,
        "previous_url": f"{week_url}?day={monday - dt.timedelta(weeks=1):%Y-%m-%d}",
        "next_url": f"{week_url}?day={monday + dt.timedelta(weeks=1):%Y-%m-%d}",
        "month_url": f"{reverse('athletes:calendar-month')}?month={monday:%Y-%m}",
        "urls": athlete_urls(athlete, for_coach=False),
    }


def month_page(athlete, asked_month: str | None, *, for_coach: bool) -> dict:
    """The month of `asked_month` (this month without one) as weeks, with the months either
    side; the athlete's own also links to its first week."""
    today = athlete.today()
    first = month_asked(asked_month, today)
    previous_month = (first - dt.timedelta(days=1)).replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    next_month = last + dt.timedelta(days=1)
    if for_coach:
        base_url = reverse("athletes:athlete-calendar", args=[athlete.pk])
    else:
        base_url = reverse("athletes:calendar-month")
    page = {
        "athlete": athlete,
        "for_coach": for_coach,
        "weeks": selectors.month_weeks(athlete, first),
        "month": first,
        "today": today,
        "can_move": True,
        "previous_url": f"{base_url}?month={previous_month:%Y-%m}",
        "next_url": f"{base_url}?month={next_month:%Y-%m}",
        "urls": athlete_urls(athlete, for_coach=for_coach),
    }
    if not for_coach:
        page["week_url"] = f"{reverse('athletes:calendar-week')}?day={first:%Y-%m-%d}"
    return page
