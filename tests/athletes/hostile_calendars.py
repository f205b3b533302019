"""Hostile .ics files, each under the 1 MB upload limit, built to make a parser work hard: for
the import tests (tests/athletes/test_ical.py) and the preview benchmark
(benchmarks/bench_ics_import.py).

HOSTILE_CALENDARS maps a name to (the file's bytes, the words its refusal starts with); a file
the import reads anyway has None.
"""

from athletes.services import ical

MAX_BYTES = 1024 * 1024 - 1024  # just under the form's 1 MB limit
RACE = "UID:race@club\r\nSUMMARY:Club 10K race\r\nDTSTART:20261205T100000Z\r\n"


def _calendar(body: str) -> bytes:
    head = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\n"
    return f"{head}{body}END:VCALENDAR\r\n".encode()


def _event(lines: str) -> str:
    return f"BEGIN:VEVENT\r\n{lines}END:VEVENT\r\n"


def _fill(line: str, around: str = "", lines: int | None = None) -> int:
    """How many copies of `line` fit in a file with `around` besides them, up to `lines`
    lines of the file."""
    fits = (MAX_BYTES - len(_calendar(around))) // len(line)
    if lines is not None:
        fits = min(fits, (lines - _calendar(around).count(b"\n")) // line.count("\n"))
    return fits


UNDER_LINES = ical.MAX_LINES - 10  # so that each file tests a limit other than the line count


def junk_properties() -> bytes:
    """One race and ~200,000 junk property lines inside it (the shape of the 950 KB report)."""
    line = "X:1\r\n"
    return _calendar(_event(RACE + line * _fill(line, _event(RACE))))


def junk_in_one_event() -> bytes:
    """One race with ~50,000 junk lines: under the file's line count, not an event's."""
    line = "X-JUNK:1\r\n"
    return _calendar(_event(RACE + line * _fill(line, _event(RACE), UNDER_LINES)))


def deep_nesting() -> bytes:
    """~25,000 components, each inside the one before."""
    depth = _fill("BEGIN:A\r\nEND:A\r\n", lines=UNDER_LINES)
    return _calendar("BEGIN:A\r\n" * depth + "END:A\r\n" * depth)


def many_components() -> bytes:
    """~25,000 empty components of a kind the import does not read."""
    component = "BEGIN:VTODO\r\nEND:VTODO\r\n"
    return _calendar(component * _fill(component, lines=UNDER_LINES))


def many_events() -> bytes:
    """~12,000 small runs."""
    event = _event("SUMMARY:Run\r\nDTSTART:20261205T100000Z\r\n")
    return _calendar(event * _fill(event, lines=UNDER_LINES))


def many_rules() -> bytes:
    """One weekly series with ~50,000 RRULE lines."""
    series = "UID:s\r\nSUMMARY:Easy run\r\nDTSTART:20261201T070000Z\r\n"
    rule = "RRULE:FREQ=WEEKLY\r\n"
    return _calendar(_event(series + rule * _fill(rule, _event(series), UNDER_LINES)))


def many_dates() -> bytes:
    """One series whose RDATE lists ~60,000 dates on one line."""
    series = "UID:s\r\nSUMMARY:Easy run\r\nDTSTART:20261201T070000Z\r\nRRULE:FREQ=DAILY\r\n"
    date = "20270101T070000Z,"
    count = _fill(date, _event(series + "RDATE:\r\n"))
    return _calendar(_event(f"{series}RDATE:{(date * count).rstrip(',')}\r\n"))


def many_parameters() -> bytes:
    """One race whose DTSTART carries ~250,000 parameters."""
    head, end = "UID:r\r\nSUMMARY:10K race\r\nDTSTART", ":20261205T100000Z\r\n"
    parameter = ";X=1"
    return _calendar(_event(head + parameter * _fill(parameter, _event(head + end)) + end))


def slow_rule() -> bytes:
    """A short file whose rules take seconds to walk: every day that is a 30 February, looked
    for day by day to the year 9999, in eight events (one such walk alone fits in the reader's
    3 s on a quiet machine)."""
    return _calendar(
        "".join(
            _event(
                f"UID:s{n}\r\nSUMMARY:Easy run\r\nDTSTART:20260101T070000Z\r\n"
                "RRULE:FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30\r\n"
            )
            for n in range(8)
        )
    )


def long_folded_line() -> bytes:
    """One race whose SUMMARY is folded over ~14,000 lines of 75 characters: read."""
    fold = "\r\n " + "x" * 72
    head, end = "UID:r\r\nSUMMARY:10K race ", "\r\nDTSTART:20261205T100000Z\r\n"
    return _calendar(_event(head + fold * _fill(fold, _event(head + end)) + end))


def a_season_of_runs() -> bytes:
    """1,000 runs as a calendar app exports them (alarms, descriptions, stamps): read."""
    event = _event(
        "UID:{n}@calendar.example\r\nSUMMARY:Easy run {n}\r\nDTSTART:20261205T100000Z\r\n"
        "DTEND:20261205T110000Z\r\nDTSTAMP:20261101T000000Z\r\nCREATED:20261101T000000Z\r\n"
        "LAST-MODIFIED:20261101T000000Z\r\nDESCRIPTION:Easy\\, conversational pace\r\n"
        "LOCATION:Park\r\nSEQUENCE:0\r\nSTATUS:CONFIRMED\r\nTRANSP:OPAQUE\r\n"
        "BEGIN:VALARM\r\nACTION:DISPLAY\r\nTRIGGER:-PT10M\r\nDESCRIPTION:Run\r\nEND:VALARM\r\n"
    )
    return _calendar("".join(event.format(n=n) for n in range(ical.MAX_IMPORT_EVENTS)))


HOSTILE_CALENDARS = {
    "junk_properties": (junk_properties, "The file has more than 50,000 lines."),
    "junk_in_one_event": (junk_in_one_event, "The VEVENT from line 4 has more than 1,000 lines."),
    "deep_nesting": (deep_nesting, "Line 7 opens a component 5 deep."),
    "many_components": (many_components, "The file has more than 5,000 components."),
    "many_events": (many_events, "The file holds more than 1000 events"),
    "many_rules": (many_rules, "The VEVENT from line 4 has more than 1,000 lines."),
    "many_dates": (many_dates, "The VEVENT from line 4 lists more than 1,000 dates"),
    "many_parameters": (many_parameters, "Line 7 (DTSTART) has more than 20 parameters."),
    "slow_rule": (slow_rule, "The file takes too long to read"),
    "long_folded_line": (long_folded_line, None),
    "a_season_of_runs": (a_season_of_runs, None),
}
