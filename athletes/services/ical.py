"""iCalendar out (a secret feed for phone calendars) and in (race and run calendars).

Export writes custom X-COACH-* properties so a feed imported elsewhere keeps kinds, priorities
and key flags exactly; files from other apps are read by their summaries ("10K race",
"Track intervals", "Long run"). Import is two steps — parse to a preview, then apply — and is
de-duplicated on the event's UID (RunEvent.external_uid), so a re-import updates instead of
duplicating.
"""

import contextlib
import datetime as dt
import re
from dataclasses import asdict, dataclass, replace

import recurring_ical_events
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar, Event

from athletes.models import Athlete, RunEvent, new_feed_token
from athletes.services.bounded import read_bounded
from athletes.services.scheduling import FIRST_DAY, LAST_DAY
from athletes.tasks import athlete_schedule_changed

PRODID = "-//Coach//Strength and runs//EN"
UID_DOMAIN = "coach"
MAX_IMPORT_EVENTS = 1000
DEFAULT_RACE_PRIORITY = RunEvent.Priority.B  # an imported race the file gives none
TOO_MANY_EVENTS = (
    f"The file holds more than {MAX_IMPORT_EVENTS} events: export a shorter date range. "
    "Nothing was imported."
)
# A repeating entry ("Track, every Tuesday") is imported as its occurrences from two weeks ago
# to a year ahead: a season of runs, not an endless series.
REPEATS_FROM_DAYS_BACK = 14
REPEATS_UNTIL_DAYS_AHEAD = 366
ALL_DAY_START = dt.time(9, 0)  # a date-only race is taken as a morning start
DEFAULT_MINUTES = 45
MAX_DISTANCE_M = 500_000  # as the run form allows: anything longer is a typo, not a race
KIND_WORDS = (  # first match wins: a "race" in the summary beats "tempo" in it
    (RunEvent.Kind.RACE, ("race", "parkrun", "marathon", "5k", "10k", "championship", "xc")),
    (RunEvent.Kind.INTERVAL, ("interval", "track", "reps", "fartlek", "hill")),
    (RunEvent.Kind.TEMPO, ("tempo", "threshold")),
    (RunEvent.Kind.LONG, ("long run", "long")),
    (RunEvent.Kind.EASY, ("easy", "recovery", "run", "jog")),
)
KIND_PATTERNS = tuple(
    (kind, re.compile(rf"\b(?:{'|'.join(map(re.escape, words))})\b")) for kind, words in KIND_WORDS
)
KEY_KINDS = (RunEvent.Kind.INTERVAL, RunEvent.Kind.TEMPO)
NAMED_DISTANCES = (("half marathon", 21_097), ("marathon", 42_195))
NUL = "\x00"

DISTANCE_IN_KM = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:k|km)\b", re.IGNORECASE)


# -- the feed ------------------------------------------------------------------------------


def run_event_uid(event: RunEvent) -> str:
    return event.external_uid or f"run-{event.pk}@{UID_DOMAIN}"


def feed_ics(athlete: Athlete, sessions, run_events) -> bytes:
    """The athlete's planned strength sessions and run events as one iCalendar file."""
    tz = athlete.tz
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Coach: {athlete}")
    calendar.add("x-wr-timezone", athlete.time_zone)
    for session in sessions:
        item = Event()
        item.add("uid", f"session-{session.pk}@{UID_DOMAIN}")
        heavy = " (heavy)" if session.is_heavy else ""
        item.add("summary", f"Strength: {session.name}{heavy}")
        item.add("dtstart", session.starts_at.astimezone(tz))
        item.add(
            "dtend",
            (session.starts_at + dt.timedelta(minutes=session.duration_minutes)).astimezone(tz),
        )
        item.add("dtstamp", session.updated_at)
        item.add("categories", ["Strength"])
        if session.placement_reason:
            item.add("description", session.placement_reason)
        calendar.add_component(item)
    for event in run_events:
        item = Event()
        item.add("uid", run_event_uid(event))
        item.add("summary", str(event))
        item.add("dtstart", event.starts_at.astimezone(tz))
        item.add(
            "dtend", (event.starts_at + dt.timedelta(minutes=event.duration_minutes)).astimezone(tz)
        )
        item.add("dtstamp", event.updated_at)
        item.add("categories", [event.get_kind_display()])
        item.add("x-coach-kind", event.kind)
        item.add("x-coach-name", event.name)  # the summary falls back to the kind when blank
        item.add("x-coach-key", "TRUE" if event.is_key else "FALSE")
        if event.priority:
            item.add("x-coach-priority", event.priority)
        if event.distance_m:
            item.add("x-coach-distance", str(event.distance_m))
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()


@transaction.atomic(durable=True)
def feed_token_revoke(*, athlete: Athlete) -> str:
    """Replace the feed's secret: the old URL stops working at once."""
    athlete.feed_token = new_feed_token()
    athlete.full_clean()
    athlete.save(update_fields=["feed_token"])
    return athlete.feed_token


# -- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportedRun:
    """One run event read from a file, before it is saved (JSON-friendly for the preview).
    A race's priority is "" when the file names none: the preview gives it the one the race
    already has here, else DEFAULT_RACE_PRIORITY."""

    uid: str
    kind: str
    name: str
    starts_at: str  # ISO 8601 with offset
    duration_minutes: int
    distance_m: int | None
    priority: str
    is_key: bool

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.starts_at)

    def fields(self) -> dict:
        values = asdict(self)
        values.pop("uid")
        values["starts_at"] = self.start
        return values


@dataclass(frozen=True)
class ImportPreview:
    new: list[ImportedRun]
    changed: list[ImportedRun]
    unchanged: list[ImportedRun]
    skipped: list[str]  # why each left-out entry was left out, in words


def _text(component, name) -> str:
    value = component.get(name)
    if isinstance(value, list):  # the property repeated: the first one counts
        value = value[0]
    return str(value).strip() if value is not None else ""


def _kind(component, summary: str) -> str | None:
    declared = _text(component, "x-coach-kind")
    if declared in RunEvent.Kind.values:
        return declared
    words = summary.lower()
    for kind, pattern in KIND_PATTERNS:
        if pattern.search(words):
            return kind
    return None


def _name(component, summary: str) -> str:
    """Our own feed's name (which may be blank), else the summary."""
    name = _text(component, "x-coach-name") if "x-coach-name" in component else summary
    return name[:120]


def _distance_m(component, summary: str) -> int | None:
    """The distance the entry declares or names; None when it names none, or an absurd one."""
    declared = _text(component, "x-coach-distance")
    if declared.isascii() and declared.isdigit():  # "²" is a digit too, but no number
        metres = int(declared)
    elif named := [m for words, m in NAMED_DISTANCES if words in summary.lower()]:
        metres = named[0]
    elif match := DISTANCE_IN_KM.search(summary):
        metres = round(float(match.group(1).replace(",", ".")) * 1000)
    else:
        return None
    return metres if 0 < metres <= MAX_DISTANCE_M else None


def _start_and_minutes(component, tz) -> tuple[dt.datetime, int]:
    start = component.decoded("dtstart")
    if not isinstance(start, dt.datetime):  # a date: an all-day entry
        start = dt.datetime.combine(start, ALL_DAY_START)
    start = start.replace(tzinfo=tz) if start.tzinfo is None else start.astimezone(tz)
    minutes = DEFAULT_MINUTES
    if component.get("dtend") is not None:
        end = component.decoded("dtend")
        if isinstance(end, dt.datetime):
            end = end.replace(tzinfo=tz) if end.tzinfo is None else end
            minutes = round((end - start).total_seconds() / 60)
    elif component.get("duration") is not None:
        minutes = round(component.decoded("duration").total_seconds() / 60)
    return start, min(max(minutes, 1), 24 * 60)


def _is_repeating(component) -> bool:
    return component.get("rrule") is not None or component.get("rdate") is not None


def _rules(component) -> list:
    rules = component.get("rrule")
    return rules if isinstance(rules, list) else [] if rules is None else [rules]


def _more_than_daily(rule) -> bool:
    """Whether a rule can repeat more than once a day (and is not held to a few by COUNT):
    walking one from years back costs a million steps, and runs don't repeat hourly."""
    count = rule.get("COUNT") or [None]
    if isinstance(count[0], int) and count[0] <= MAX_IMPORT_EVENTS:
        return False
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    times_a_day = 1
    for part in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        times_a_day *= max(len(rule.get(part) or []), 1)
    return freq in ("HOURLY", "MINUTELY", "SECONDLY") or times_a_day > 1


def _series_uid(component) -> str:
    """A repeating entry's UID; one without a UID is known by its first start and title."""
    uid = _text(component, "uid")
    if uid:
        return uid
    start = component.get("dtstart")
    first = start.to_ical().decode() if hasattr(start, "to_ical") else ""
    return f"{first}-{_text(component, 'summary')}"


def _stamp(moment) -> str:
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        return f"{moment.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}"
    return f"{moment:%Y%m%dT%H%M%S}"


def _occurrence_uid(series_uid: str, occurrence, shifted=dt.timedelta(0)) -> str:
    """One occurrence's own UID: the series' and the start it was scheduled for (its
    RECURRENCE-ID), which stays the same when that one occurrence is moved. An occurrence
    moved with all that follow it (RANGE=THISANDFUTURE) carries the RECURRENCE-ID of the
    first one moved: its own scheduled start is its start less the move, `shifted`."""
    scheduled = occurrence.decoded("recurrence-id")
    if occurrence["recurrence-id"].params.get("RANGE", "").upper() == "THISANDFUTURE":
        scheduled = occurrence.decoded("dtstart") - shifted
    stamp = _stamp(scheduled)
    return f"{series_uid[: 255 - len(stamp) - 1]}/{stamp}"


def _moves(components) -> dict:
    """How far each RANGE=THISANDFUTURE change of a series moved its occurrences."""
    moves = {}
    for component in components:
        recurrence_id = component.get("recurrence-id")
        if recurrence_id is not None and recurrence_id.params.get("RANGE"):
            moves[_stamp(component.decoded("recurrence-id"))] = component.decoded(
                "dtstart"
            ) - component.decoded("recurrence-id")
    return moves


def _later_start(start, rule, before: dt.date):
    """The start of the series `rule` repeats from `start` moved on by whole periods of the
    rule to over a period before `before`; None when it need not or cannot move. A whole
    number of periods keeps every occurrence, and what the rule takes from its start (weekday,
    day of the month, time of day, even the week or month it counts an INTERVAL from); the
    moved start, which may not fall on the rule, stays before the window read."""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    interval = (rule.get("INTERVAL") or [1])[0]
    if rule.get("COUNT") or not isinstance(interval, int) or interval < 1:
        return None  # COUNT counts from the first start
    day = start.date() if isinstance(start, dt.datetime) else start
    if freq in ("DAILY", "WEEKLY"):
        step = interval * (7 if freq == "WEEKLY" else 1)
        periods = (before - day).days // step - 1
        return start + dt.timedelta(days=periods * step) if periods > 0 else None
    if freq in ("MONTHLY", "YEARLY"):  # by whole years: the same month, the same day
        periods = (before.year - day.year) // interval - 1
        if periods <= 0 or (day.month, day.day) == (2, 29):
            return None
        return start.replace(year=day.year + periods * interval)
    return None


def _start_moved_on(components, before: dt.date) -> None:
    """Let a series begun long ago be walked from shortly before the window read, not from its
    first start (a daily run since 1950 is 28,000 steps), where that changes nothing: one
    RRULE, no EXRULE, no change to all following occurrences (RANGE=THISANDFUTURE)."""
    repeating = [c for c in components if c.get("rrule") is not None]
    if len(repeating) != 1 or _moves(components):
        return
    (component,) = repeating
    rules = _rules(component)
    if len(rules) != 1 or component.get("exrule") is not None:
        return
    start = component.decoded("dtstart")
    moved = _later_start(start, rules[0], before)
    if moved is None:
        return
    if component.get("dtend") is not None:
        end = component["dtend"]
        end.dt = moved + (end.dt - start)
    component["dtstart"].dt = moved


def _occurrences(calendar, series: dict[str, list], tz, today: dt.date):
    """(occurrence, UID) for every occurrence of the repeating series in the import window:
    RRULE and RDATE less EXDATE, a moved occurrence where it was moved to. Each series is
    expanded on its own, its rule walked once from its first date; stops past
    MAX_IMPORT_EVENTS."""
    timezones = calendar.walk("VTIMEZONE")
    window_start = dt.datetime.combine(
        today - dt.timedelta(days=REPEATS_FROM_DAYS_BACK), dt.time(), tzinfo=tz
    )
    window_end = window_start + dt.timedelta(days=REPEATS_FROM_DAYS_BACK + REPEATS_UNTIL_DAYS_AHEAD)
    found = 0
    for uid, components in series.items():
        with contextlib.suppress(ValueError, KeyError, TypeError, AttributeError, OverflowError):
            _start_moved_on(components, window_start.date())
        one = Calendar()
        for component in [*timezones, *components]:
            one.add_component(component)
        moves = _moves(components)
        dated = []
        for occurrence in recurring_ical_events.of(one).between(window_start, window_end):
            if occurrence.get("dtend") is not None and occurrence.decoded(
                "dtend"
            ) == occurrence.decoded("dtstart"):
                del occurrence["dtend"]  # no end given: the usual length, as a single entry
            start, _ = _start_and_minutes(occurrence, tz)
            if start < window_end:
                dated.append((start, occurrence))
        for _, occurrence in sorted(dated, key=lambda pair: pair[0]):
            # The library gives every occurrence a RECURRENCE-ID: the start it was scheduled for.
            shifted = moves.get(_stamp(occurrence.decoded("recurrence-id")), dt.timedelta(0))
            yield occurrence, _occurrence_uid(uid, occurrence, shifted)
            found += 1
            if found > MAX_IMPORT_EVENTS:
                return


def _entries(calendar, tz, today: dt.date) -> list[tuple]:
    """(event, the UID it is kept under) for every event of the file, a repeating one as each
    of its occurrences, so a re-import matches occurrence with occurrence."""
    events = calendar.walk("VEVENT")
    series = {}
    for component in events:
        if _is_repeating(component):
            series.setdefault(_series_uid(component), [])
    for component in events:
        uid = _series_uid(component) if _is_repeating(component) else _text(component, "uid")
        if uid in series:
            # An event sharing a repeating series' UID is one of its occurrences, moved: the
            # series expansion places it.
            component["uid"] = uid
            series[uid].append(component)
    entries = []
    for component in events:
        uid = _text(component, "uid")
        if uid in series:
            continue
        if uid and component.get("recurrence-id") is not None:
            # One occurrence moved, its series not in the file: kept under the UID the
            # series' expansion would give it, so the whole series arriving later matches it.
            with contextlib.suppress(
                ValueError, KeyError, TypeError, AttributeError, OverflowError
            ):
                uid = _occurrence_uid(uid, component)
        entries.append((component, uid))
    try:
        for component in (c for components in series.values() for c in components):
            if any(_more_than_daily(rule) for rule in _rules(component)):
                summary = _text(component, "summary") or "(no title)"
                raise ValidationError(
                    f"{summary} repeats more than once a day: export it as single events."
                )
        entries += _occurrences(calendar, series, tz, today)
    except (ValueError, KeyError, TypeError, AttributeError, OverflowError) as error:
        raise ValidationError(
            "The file's repeating events can't be read: export them as single events."
        ) from error
    return entries


def _refuse_null_characters(component, uid: str, summary: str, start: dt.datetime) -> None:
    """The database, like every form, takes no null character in text: refuse the file, naming
    the event and the property that holds one, rather than store part of it."""
    texts = {"SUMMARY": summary, "UID": uid, "X-COACH-NAME": _text(component, "x-coach-name")}
    for name, text in texts.items():
        if NUL in text:
            raise ValidationError(
                f"{summary.replace(NUL, '')} on {start:%a %-d %b %Y}: its {name} holds a null "
                "character, which calendar text may not hold. Nothing was imported."
            )


def _read_calendar(data: bytes, tz, today: dt.date | None) -> tuple[list[ImportedRun], list]:
    """What ics_parse reads, as long as it takes (ics_parse bounds it)."""
    try:
        calendar = Calendar.from_ical(_readable_lines(data))
    except (ValueError, IndexError, KeyError, TypeError, UnicodeDecodeError) as error:
        raise ValidationError("This file is not a readable iCalendar (.ics) file.") from error
    if isinstance(calendar, list) or calendar.name != "VCALENDAR":
        raise ValidationError("This file is not a readable iCalendar (.ics) file.")
    entries = _entries(calendar, tz, today or timezone.now().astimezone(tz).date())
    if len(entries) > MAX_IMPORT_EVENTS:
        raise ValidationError(TOO_MANY_EVENTS)
    runs, skipped, seen = [], [], set()
    for component, uid in entries:
        summary = _text(component, "summary") or "(no title)"
        uid = uid[:255]
        if uid.startswith("session-") and uid.endswith(f"@{UID_DOMAIN}"):
            skipped.append(f"{summary}: a strength session, which comes from a program")
            continue
        kind = _kind(component, summary)
        if kind is None:
            skipped.append(f"{summary}: not a race or run")
            continue
        try:
            start, minutes = _start_and_minutes(component, tz)
        except (ValueError, KeyError, TypeError, AttributeError, OverflowError):
            skipped.append(f"{summary}: its date can't be read")
            continue
        if not FIRST_DAY <= start.date() <= LAST_DAY:
            skipped.append(f"{summary}: its date, {start:%Y-%m-%d}, is too far off")
            continue
        uid = uid or f"{start:%Y%m%dT%H%M}-{summary}"[:255]
        if uid in seen:
            skipped.append(f"{summary}: repeated in the file")
            continue
        seen.add(uid)
        _refuse_null_characters(component, uid, summary, start)
        priority = _text(component, "x-coach-priority").upper()
        declared_key = _text(component, "x-coach-key").upper()
        runs.append(
            ImportedRun(
                uid=uid,
                kind=kind,
                name=_name(component, summary),
                starts_at=start.isoformat(),
                duration_minutes=minutes,
                distance_m=_distance_m(component, summary),
                priority=priority
                if kind == RunEvent.Kind.RACE and priority in RunEvent.Priority.values
                else "",
                # An easy run is never key, whatever the feed declares.
                is_key=kind != RunEvent.Kind.EASY
                and (declared_key == "TRUE" if declared_key else kind in KEY_KINDS),
            )
        )
    return runs, skipped


# -- import: bounding the work of one file -------------------------------------------------

# A file is parsed only after a scan of its lines (cheap: no parsing) finds it inside these
# counts, so one of up to 1 MB built to make the parser work (200,000 junk lines, components
# nested 100,000 deep) is refused in milliseconds, naming what it has too much of. Calendars
# stay far inside them. What the import does not read (alarms, to-dos, attendees,
# descriptions) is left out before parsing: it costs nothing to parse.
MAX_LINES = 50_000
MAX_DEPTH = 4  # VCALENDAR > VEVENT > VALARM is as deep as calendars nest
MAX_COMPONENTS = 5_000
MAX_PROPERTIES = 1_000  # lines of one component
MAX_PARAMETERS = 20  # on one property that is read
MAX_DATES = 1_000  # RDATE and EXDATE values of one event
# What passes the scan is read in a child process held to this much processor time, and a
# wall-clock limit for a child that a busy machine (not its file) holds up: a repeating rule
# can be built that takes seconds to walk however few lines it has.
READ_CPU_SECONDS = 3.0
READ_WALL_SECONDS = 30
TOO_LONG = (
    "The file takes too long to read: export a shorter date range, or its repeating events "
    "as single events. Nothing was imported."
)
# The components read, each with the one it is read inside, and the event properties read.
READ_COMPONENTS = {
    b"VCALENDAR": None,
    b"VEVENT": b"VCALENDAR",
    b"VTIMEZONE": b"VCALENDAR",
    b"STANDARD": b"VTIMEZONE",
    b"DAYLIGHT": b"VTIMEZONE",
}
EVENT_PROPERTIES = {
    b"UID", b"SUMMARY", b"DTSTART", b"DTEND", b"DURATION", b"RRULE", b"RDATE", b"EXDATE",
    b"EXRULE", b"RECURRENCE-ID", b"SEQUENCE", b"X-COACH-KIND", b"X-COACH-NAME", b"X-COACH-KEY",
    b"X-COACH-PRIORITY", b"X-COACH-DISTANCE",
}  # fmt: skip
PROPERTY_NAME = re.compile(rb"[^;:]*")
BEFORE_VALUE = re.compile(rb'(?:[^":]|"[^"]*")*')  # a name and parameters: to the first free ":"


@dataclass
class _Component:
    name: bytes
    read: bool
    line: int
    properties: int = 0
    dates: int = 0

    def __str__(self):
        return f"The {self.name.decode('ascii', 'replace')} from line {self.line}"


def _content_lines(data: bytes):
    """(line number, content line unfolded, its physical lines) for each line of the file."""
    first, parts = 0, []
    for number, line in enumerate(data.split(b"\n"), start=1):
        line = line.removesuffix(b"\r")
        if line[:1] in (b" ", b"\t") and parts:  # folded: the line goes on
            parts.append(line)
            continue
        if parts:
            yield first, _unfolded(parts), parts
        first, parts = number, [line] if line else []
    if parts:
        yield first, _unfolded(parts), parts


def _unfolded(parts: list[bytes]) -> bytes:
    return parts[0] if len(parts) == 1 else parts[0] + b"".join(part[1:] for part in parts[1:])


def _too_much(message: str) -> ValidationError:
    return ValidationError(
        f"{message} That is more than a calendar of races and runs holds: export a shorter "
        "date range. Nothing was imported."
    )


def _check_read_property(component: _Component, number: int, name: bytes, line: bytes) -> None:
    """Refuse a property the import reads with more parameters or dates than MAX_..."""
    if BEFORE_VALUE.match(line).group().count(b";") > MAX_PARAMETERS:
        shown = name.decode("ascii", "replace")
        raise _too_much(f"Line {number} ({shown}) has more than {MAX_PARAMETERS} parameters.")
    if name in (b"RDATE", b"EXDATE"):
        component.dates += line.count(b",") + 1
        if component.dates > MAX_DATES:
            raise _too_much(f"{component} lists more than {MAX_DATES:,} dates (RDATE, EXDATE).")


def _readable_lines(data: bytes) -> bytes:
    """The file's lines the import reads (READ_COMPONENTS, each where it belongs, and an
    event's EVENT_PROPERTIES), from a scan that refuses a file past MAX_LINES, MAX_DEPTH,
    MAX_COMPONENTS, MAX_IMPORT_EVENTS, MAX_PROPERTIES, MAX_PARAMETERS or MAX_DATES."""
    if data.count(b"\n") + 1 > MAX_LINES:
        raise _too_much(f"The file has more than {MAX_LINES:,} lines.")
    kept, open_components, components, events = [], [], 0, 0
    for number, line, physical in _content_lines(data):
        name = PROPERTY_NAME.match(line).group().strip().upper()
        within = open_components[-1] if open_components else None
        if name == b"BEGIN":
            components += 1
            if len(open_components) == MAX_DEPTH:
                raise _too_much(f"Line {number} opens a component {MAX_DEPTH + 1} deep.")
            if components > MAX_COMPONENTS:
                raise _too_much(f"The file has more than {MAX_COMPONENTS:,} components.")
            kind = line[6:].strip().upper()
            events += kind == b"VEVENT"
            if events > MAX_IMPORT_EVENTS:
                raise ValidationError(TOO_MANY_EVENTS)
            parent = within.name if within else None
            keep = kind in READ_COMPONENTS and READ_COMPONENTS[kind] == parent
            keep = keep and (within is None or within.read)
            open_components.append(_Component(kind, keep, number))
        elif name == b"END":
            keep = open_components.pop().read if open_components else True
        elif within is None:
            keep = True  # outside any component: left for the parser to refuse
        else:
            within.properties += 1
            if within.properties > MAX_PROPERTIES:
                raise _too_much(f"{within} has more than {MAX_PROPERTIES:,} lines.")
            keep = within.read and (within.name != b"VEVENT" or name in EVENT_PROPERTIES)
            if keep:
                _check_read_property(within, number, name, line)
        if keep:
            kept += physical
    return b"\r\n".join(kept) + b"\r\n"


def ics_parse(data: bytes, tz, today: dt.date | None = None) -> tuple[list[ImportedRun], list[str]]:
    """Read races and runs from an .ics file: (runs, why each left-out entry was left out).
    Raise ValidationError for a file that isn't one, one past the scan's counts, or one that
    takes more than READ_CPU_SECONDS to read (athletes.services.bounded). Repeating entries
    are read from `today` (in `tz`) on, less REPEATS_FROM_DAYS_BACK."""
    return read_bounded(
        _read_calendar,
        data,
        tz,
        today,
        cpu_seconds=READ_CPU_SECONDS,
        wall_seconds=READ_WALL_SECONDS,
        too_long=TOO_LONG,
    )


def _own_events_by_uid(athlete: Athlete, runs: list[ImportedRun]) -> dict[str, RunEvent]:
    """The athlete's events each incoming UID matches: by external_uid, or one of our own
    exported `run-<pk>@coach` UIDs coming back."""
    uids = [r.uid for r in runs]
    own_pks = {
        int(uid[4:].split("@")[0]): uid
        for uid in uids
        if re.fullmatch(rf"run-\d{{1,18}}@{UID_DOMAIN}", uid)  # 19 digits may pass a bigint
    }
    matches = {}
    for event in RunEvent.objects.filter(athlete=athlete, external_uid__in=uids):
        matches[event.external_uid] = event
    for event in RunEvent.objects.filter(athlete=athlete, pk__in=own_pks, external_uid=""):
        matches[own_pks[event.pk]] = event
    return matches


def _same(event: RunEvent, run: ImportedRun) -> bool:
    return all(getattr(event, name) == value for name, value in run.fields().items())


def _with_priorities(runs: list[ImportedRun], existing: dict[str, RunEvent]) -> list:
    """Each race the file gives no priority: the one it has here (a re-import keeps what the
    coach chose), else DEFAULT_RACE_PRIORITY."""
    resolved = []
    for run in runs:
        if run.kind == RunEvent.Kind.RACE and not run.priority:
            event = existing.get(run.uid)
            kept = event.priority if event is not None and event.priority else ""
            run = replace(run, priority=kept or DEFAULT_RACE_PRIORITY)
        resolved.append(run)
    return resolved


def ics_import_preview(*, athlete: Athlete, runs: list[ImportedRun], skipped: list[str]):
    existing = _own_events_by_uid(athlete, runs)
    runs = _with_priorities(runs, existing)
    new, changed, unchanged = [], [], []
    for run in runs:
        event = existing.get(run.uid)
        if event is None:
            new.append(run)
        elif _same(event, run):
            unchanged.append(run)
        else:
            changed.append(run)
    return ImportPreview(new=new, changed=changed, unchanged=unchanged, skipped=skipped)


@transaction.atomic(durable=True)
def ics_import_apply(*, athlete: Athlete, runs: list[ImportedRun]) -> tuple[int, int]:
    """Create the new runs and update the changed ones; return (created, updated)."""
    existing = _own_events_by_uid(athlete, runs)
    runs = _with_priorities(runs, existing)
    created, updated = [], 0
    for run in runs:
        event = existing.get(run.uid)
        if event is None:
            event = RunEvent(athlete=athlete, external_uid=run.uid, **run.fields())
            event.full_clean()
            created.append(event)
        elif not _same(event, run):
            for name, value in run.fields().items():
                setattr(event, name, value)
            event.full_clean()
            event.save()
            updated += 1
    RunEvent.objects.bulk_create(created)
    if created or updated:
        athlete_schedule_changed(athlete.pk)
    return len(created), updated
