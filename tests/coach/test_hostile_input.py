"""Hostile input: random and boundary values posted to every form and JSON endpoint.

Every POST row of the access matrix (tests/coach/test_access_matrix.py) is attacked as the
role that may use it, with its valid body as the starting point: hypothesis replaces values
with huge and negative numbers, empty strings, unicode, very long text, wrong types, malformed
dates and other users' ids, drops fields and adds stray ones. Whatever arrives, the answer is
never a server error, and an answer that refuses the input (4xx) leaves every row as it was.
The import paths (.ics for athletes and coaches, the admin's CSV) get files with null
characters, lone surrogates and oversized fields the same way.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.athletes.activity_files import fit_activity, gpx_activity, tcx_activity
from tests.athletes.factories import RunEventFactory
from tests.coach.sign_in import sign_in
from tests.coach.test_access_matrix import (
    MATRIX,
    ROLES,
    World,
    _rows_of_our_apps,
    matrix_url,
    rolled_back,
)

EXAMPLES_PER_URL = 20


def _allowed_role(row):
    """The role the POST is meant for: the first whose expected answer is a success."""
    for role in ("coach", "athlete", "admin", "anonymous", "other_coach", "other_athlete"):
        status = row.post.get(role)
        if isinstance(status, int) and status < 400:
            return role
    return None


def _attackers(row):
    if row.hostile_as:
        return row.hostile_as
    role = _allowed_role(row)
    return (role,) if role is not None else ()


POST_CASES = sorted(
    (name, role) for name, row in MATRIX.items() if row.post for role in _attackers(row)
)

SCALARS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63),
    st.sampled_from([0, -1, 1, 101, 501, 10**6, 2**31, 2**31 - 1, 2**63]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", " ", "NaN", "Infinity", "-0", "1e309", "0x10", "null", "[]", "{}"]),
    # Digits to str.isdigit that int() refuses ("²") or reads ("١٢" is 12).
    st.sampled_from(["²", "12²", "١٢", "٣"]),
    st.sampled_from(["2026-02-30", "2026-13-01", "31/12/2026", "9999-99-99", "25:61", "yesterday"]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.sampled_from(["'; DROP TABLE athletes_athlete; --", "<script>alert(1)</script>", "\x00"]),
)


def _hostile_value(world):
    other_ids = [
        world.athlete_b.pk,
        world.athlete_b.user.pk,
        world.coach_b.pk,
    ]
    return st.one_of(SCALARS, st.sampled_from(other_ids), st.lists(SCALARS, max_size=3))


def _as_text(value):
    if isinstance(value, list):
        return [_as_text(v) for v in value]
    # NUL bytes never reach Django from a real browser form; the test client can't send them.
    return str(value).replace("\x00", "")


@st.composite
def _hostile_body(draw, valid, world):
    body = {}
    for key, value in valid.items():
        choice = draw(st.sampled_from(["keep", "hostile", "hostile", "drop"]))
        if choice == "keep":
            body[key] = value
        elif choice == "hostile":
            body[key] = _as_text(draw(_hostile_value(world)))
    for key in draw(st.lists(st.text(min_size=1, max_size=12), max_size=2)):
        body.setdefault(key, _as_text(draw(SCALARS)))
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("name, role", POST_CASES)
def test_hostile_posts_never_break_the_server_nor_half_save(name, role):
    row = MATRIX[name]
    world = World()
    url = matrix_url(name, world)
    valid = row.data(world) if callable(row.data) else (row.data or {})
    assert role in ROLES

    @settings(
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(body=_hostile_body(valid, world), wants_json=st.booleans())
    def attack(body, wants_json):
        with rolled_back():
            client = Client(raise_request_exception=False)
            user = world.user_for(role)
            if user is not None:
                client.force_login(user)
            before = _rows_of_our_apps()
            headers = {"Accept": "application/json"} if wants_json else {}
            response = client.post(url, body, headers=headers)
            assert response.status_code < 500, f"{name} answered {response.status_code} to {body}"
            if 400 <= response.status_code < 500:
                assert _rows_of_our_apps() == before, f"{name} refused {body} but changed rows"

    attack()


# Every query parameter a page reads, each given the same hostile value at once; a browser sends
# any of them, NUL (%00) included, from the address bar.
QUERY_KEYS = ("q", "page", "show", "sort", "day", "month", "next", "exercise", "planned",
              "athlete", "id", "kind", "week")  # fmt: skip
HOSTILE_QUERY_VALUES = ["\x00", "ann\x00", "x" * 5000, "-1", "99999999999999999999", "²",
                        "2026-02-30", "9999-99", "//evil.example", "%", "'\\"]  # fmt: skip
GET_CASES = sorted(
    (name, role)
    for name, row in MATRIX.items()
    if row.get
    for role in ("coach", "athlete")
    if isinstance(row.get.get(role), int) and row.get[role] < 400
)


@pytest.mark.django_db
@pytest.mark.parametrize("name, role", GET_CASES)
def test_hostile_query_strings_never_break_a_page(name, role):
    world = World()
    url = matrix_url(name, world)
    client = Client(raise_request_exception=False)
    client.force_login(world.user_for(role))

    for value in HOSTILE_QUERY_VALUES:
        response = client.get(url, dict.fromkeys(QUERY_KEYS, value))
        assert response.status_code < 500, f"{name} answered {response.status_code} to {value!r}"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["²", "12²", "¹²"])
def test_a_digit_that_is_no_number_names_no_row_wherever_an_id_is_read(value):
    """Superscripts pass str.isdigit but not int(): an id read with the one passes to the other."""
    world = World()
    client = Client(raise_request_exception=False)
    client.force_login(world.coach_a)
    program, template = world.assignable_program_a, world.template_a
    assignment = {"start_date": "2026-11-02"}
    before = _rows_of_our_apps()
    answers = {
        "a program to assign": client.post(
            reverse("athletes:assignment-create"),
            {**assignment, "program": value, "athletes": [world.athlete_a.pk]},
        ),
        "an athlete to assign to": client.post(
            reverse("athletes:assignment-create"),
            {**assignment, "program": program.pk, "athletes": [value]},
        ),
        "an assignment placed": client.get(
            reverse("athletes:assignment-placements"), {"id": value}
        ),
        "an exercise to prescribe": client.post(
            reverse("programs:prescription-create", args=[template.pk]), {"exercise": value}
        ),
        "a template's new order": client.post(
            reverse("programs:template-reorder", args=[template.pk]), {"order": [value]}
        ),
    }
    assert {what: answer.status_code for what, answer in answers.items()} == {
        "a program to assign": 422,
        "an athlete to assign to": 422,
        "an assignment placed": 200,
        "an exercise to prescribe": 404,
        "a template's new order": 422,
    }
    assert _rows_of_our_apps() == before


# -- import paths: files with null characters, lone surrogates and oversized fields ---------

HOSTILE_TEXT = st.one_of(
    st.sampled_from(["\x00", "Club\x00 10K race", "\ud800", "5K \udfff race", "\ufeff", "\u202e"]),
    st.sampled_from(["²", "10²", "١٠٠٠٠"]),
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1000, max_size=5000),
    st.integers(min_value=130_000, max_value=300_000).map(lambda n: "race " * (n // 5)),
)


def _file_bytes(text: str) -> bytes:
    """As a careless exporter writes it: a lone surrogate as its three bytes, which no UTF-8
    decoder takes."""
    return text.encode("utf-8", "surrogatepass")


ICS_EVENT = {
    "UID": "race-1@club",
    "SUMMARY": "Club 10K race",
    "DTSTART": "20261205T100000Z",
    "X-COACH-NAME": "Club 10K",
    "X-COACH-KIND": "race",
    "X-COACH-PRIORITY": "A",
    "X-COACH-DISTANCE": "10000",
    "RRULE": "FREQ=WEEKLY;COUNT=3",
}


@st.composite
def _hostile_calendar(draw):
    lines = []
    for name, value in ICS_EVENT.items():
        choice = draw(st.sampled_from(["keep", "keep", "hostile", "drop"]))
        if choice != "drop":
            lines.append(f"{name}:{draw(HOSTILE_TEXT) if choice == 'hostile' else value}")
    body = "\r\n".join(["BEGIN:VEVENT", *lines, "END:VEVENT"])
    return _file_bytes(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{body}\r\nEND:VCALENDAR\r\n")


@st.composite
def _hostile_csv(draw):
    row = {
        "name": "Nordic curl", "category": "strength", "pattern": "hinge",
        "is_unilateral": "false", "measure": "reps", "equipment": "Bench",
        "cues": "Slow on the way down", "video_url": "", "status": "published",
    }  # fmt: skip
    cells = [draw(HOSTILE_TEXT) if draw(st.booleans()) else value for value in row.values()]
    quoted = ",".join('"' + cell.replace('"', '""') + '"' for cell in cells)
    return _file_bytes(",".join(row) + "\r\n" + quoted + "\r\n")


def _examples(test):
    return settings(
        max_examples=EXAMPLES_PER_URL,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )(test)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["athlete", "coach"])
def test_hostile_calendar_files_never_break_the_import_nor_half_save(role):
    world = World()
    url = (
        reverse("athletes:run-event-import")
        if role == "athlete"
        else reverse("athletes:athlete-run-event-import", args=[world.athlete_a.pk])
    )

    @_examples
    @given(content=_hostile_calendar())
    def attack(content):
        with rolled_back():
            client = Client(raise_request_exception=False)
            client.force_login(world.user_for(role))
            before = _rows_of_our_apps()
            upload = SimpleUploadedFile("hostile.ics", content, "text/calendar")
            preview = client.post(url, {"ics_file": upload})
            assert preview.status_code < 500, f"preview answered {preview.status_code}"
            if preview.status_code >= 400:
                assert _rows_of_our_apps() == before, "a refused preview changed rows"
            confirm = client.post(url, {"confirm": "1"})
            assert confirm.status_code < 500, f"confirm answered {confirm.status_code}"

    attack()


@pytest.mark.django_db
def test_hostile_csv_files_never_break_the_library_import_nor_half_save():
    world = World()
    url = reverse("admin:programs_exercise_import")
    client = sign_in(Client(raise_request_exception=False), world.admin)

    @_examples
    @given(content=_hostile_csv())
    def attack(content):
        with rolled_back():
            before = _rows_of_our_apps()
            upload = SimpleUploadedFile("library.csv", content, "text/csv")
            response = client.post(url, {"file": upload})
            assert response.status_code < 500, f"the import answered {response.status_code}"
            if response.status_code != 302:  # not imported: the page again, with why
                assert _rows_of_our_apps() == before, "a refused import changed rows"

    attack()


WATCH_FILES = [fit_activity(), gpx_activity(heart_rate=150), tcx_activity(heart_rate=150)]


@st.composite
def _hostile_watch_file(draw):
    """A real FIT, GPX or TCX file cut, with bytes flipped or spliced in; or plain junk."""
    if draw(st.integers(0, 4)) == 0:
        return draw(st.binary(max_size=2000))
    data = bytearray(draw(st.sampled_from(WATCH_FILES)))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    if draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.sampled_from([b"\x00", b"<!--", b"]]>", b"\xff\xfe", HOSTILE_XML]))
    return bytes(data)


HOSTILE_XML = b"<Time>2026-02-30T25:61:00Z</Time><DistanceMeters>1e309</DistanceMeters>"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["athlete", "coach"])
def test_hostile_watch_files_never_break_the_upload_nor_half_save(role):
    world = World()
    url = (
        reverse("athletes:runs-done-upload")
        if role == "athlete"
        else reverse("athletes:athlete-runs-done-upload", args=[world.athlete_a.pk])
    )

    @_examples
    @given(files=st.lists(_hostile_watch_file(), min_size=1, max_size=3))
    def attack(files):
        with rolled_back():
            client = Client(raise_request_exception=False)
            client.force_login(world.user_for(role))
            before = _rows_of_our_apps()
            uploads = [SimpleUploadedFile(f"hostile{i}.fit", data) for i, data in enumerate(files)]
            response = client.post(url, {"files": uploads})
            assert response.status_code < 500, f"upload answered {response.status_code}"
            if response.status_code >= 400:
                assert _rows_of_our_apps() == before, "a refused upload changed rows"

    attack()


@pytest.mark.django_db
@pytest.mark.parametrize("planned", ["x", "²", "-1", "99999999999999999999", ""])
def test_a_planned_run_that_is_no_id_is_a_bad_request_and_another_athletes_a_404(planned):
    world = World()
    client = Client(raise_request_exception=False)
    client.force_login(world.athlete_a.user)
    url = reverse("athletes:run-done-create")
    assert client.get(url, {"planned": planned}).status_code == 400
    others = RunEventFactory(athlete=world.athlete_b)
    assert client.get(url, {"planned": others.pk}).status_code == 404
    assert client.post(f"{url}?planned={others.pk}", {"duration": "30:00"}).status_code == 404
