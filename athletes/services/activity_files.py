"""Runs read from a watch's activity files: FIT (fitdecode), GPX (gpxpy) and TCX (lxml).

Each file is read in a child process held to a budget of processor time
(athletes.services.bounded), down to the samples the rules need — seconds, metres, heart rate —
and summarised there: the coordinates never leave the child. A file that is not a run, not an
activity, cut short, compressed, without times or over the size limit is refused with a
sentence the upload page shows next to the file's name.
"""

import datetime as dt
import io
import math
import struct
import warnings
from dataclasses import dataclass, field

import fitdecode
import gpxpy
import gpxpy.gpx
from django.core.exceptions import ValidationError
from lxml import etree  # nosec B410: a parser that resolves no entities and reads no network

from athletes.models import RunDone
from athletes.rules import runs as rules
from athletes.services.bounded import read_bounded

MAX_ACTIVITY_BYTES = 20 * 1024 * 1024
MAX_FILES_AT_ONCE = 20
# Measured here: a marathon's FIT at a record a second (14,000 records) reads in about 2 s, a
# 20 MB TCX (137,000 points) in 6 s, a 20 MB GPX in about 9 s. Ten seconds of processor time
# per file reads any run a watch records; the wall clock allows for a busy machine.
READ_CPU_SECONDS = 10.0
READ_WALL_SECONDS = 60
TOO_LONG = "The file takes too long to read. Nothing was saved from it."
TOO_LARGE = f"The file is larger than {MAX_ACTIVITY_BYTES // (1024 * 1024)} MB."
# The sports each format names a run by (FIT's session.sport, GPX's <type>, TCX's Sport).
RUNNING_SPORTS = {"running", "run", "trail_running", "treadmill_running", "9"}
NOT_A_RUN = (
    "This is a {sport} activity, not a run: only runs are recorded here (lift days are logged "
    "as strength sessions)."
)
# What the parsers raise besides their own errors when a damaged file trips them up (a flipped
# byte makes fitdecode compare a tuple with a number, gpxpy register a namespace lxml refuses).
DAMAGED = (
    ValueError, TypeError, KeyError, IndexError, AssertionError, struct.error, SyntaxError,
)  # fmt: skip
TCX_NS = {"tcx": "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"}
MIN_SAMPLES = 2


@dataclass(frozen=True)
class Activity:
    """What a file says about a run, without where it went."""

    source: str
    sport: str
    started_at: dt.datetime  # aware, UTC
    elapsed_seconds: int
    moving_seconds: int
    distance_m: int | None
    average_heart_rate: int | None
    splits: list[dict] = field(default_factory=list)  # [{"m": 1000, "s": 245.3}, …]

    @property
    def key(self) -> tuple[dt.datetime, str]:
        """What makes two uploads the same activity: the device's start time and the sport."""
        return self.started_at, self.sport


@dataclass(frozen=True)
class _Read:
    sport: str
    started_at: dt.datetime | None  # the summary's start, else the first sample's time
    samples: list[rules.Sample]
    # A FIT session's own totals, which know the watch's pauses.
    elapsed_seconds: float | None = None
    timer_seconds: float | None = None
    distance_m: float | None = None


def _damaged(source: str) -> ValidationError:
    return ValidationError(
        f"The {source.upper()} file is cut short or damaged: copy or export it again."
    )


def _sport_checked(sport: str) -> str:
    sport = (sport or "running").strip().lower()
    if sport not in RUNNING_SPORTS:
        raise ValidationError(NOT_A_RUN.format(sport=sport.replace("_", " ")))
    return "running" if sport in ("run", "9") else sport


def _number(value, low: float, high: float):
    """`value` when it is a finite number within low..high, else None (a damaged field)."""
    ok = isinstance(value, int | float) and math.isfinite(value) and low <= value <= high
    return value if ok else None


def _moment(value) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _samples(times_and_values) -> tuple[dt.datetime | None, list[rules.Sample]]:
    """The first time, and samples in seconds from it, from (time, metres, bpm) rows; a value
    that is no time, distance or heart rate is left out."""
    rows = sorted(
        (
            (_moment(t), _number(d, 0, 10_000_000), _number(h, 20, 250))
            for t, d, h in times_and_values
            if _moment(t) is not None
        ),
        key=lambda row: row[0],
    )
    if not rows:
        return None, []
    first = rows[0][0]
    return first, [rules.Sample((t - first).total_seconds(), d, h) for t, d, h in rows]


# -- FIT ------------------------------------------------------------------------------------


def _read_fit(data: bytes) -> _Read:
    file_type, sport, session, rows = None, None, {}, []
    try:
        with fitdecode.FitReader(io.BytesIO(data)) as fit:
            for frame in fit:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "file_id":
                    file_type = frame.get_value("type", fallback=None)
                    if file_type != "activity":
                        kind = (
                            file_type.replace("_", " ") if isinstance(file_type, str) else "unknown"
                        )
                        raise ValidationError(
                            f"This FIT file is the watch's {kind} file, not an activity: upload "
                            "the file of the run itself (in the watch's Activity folder)."
                        )
                elif frame.name in ("sport", "session"):
                    named = frame.get_value("sport", fallback=sport)
                    sport = named if isinstance(named, str) else sport
                    if frame.name == "session":
                        session = {f.name: f.value for f in frame.fields}
                elif frame.name == "record":
                    rows.append(
                        (
                            frame.get_value("timestamp", fallback=None),
                            frame.get_value("distance", fallback=None),
                            frame.get_value("heart_rate", fallback=None),
                        )
                    )
    except fitdecode.FitError as error:
        raise _damaged(RunDone.Source.FIT) from error
    if file_type is None:
        raise ValidationError("This FIT file has no file header: it is not an activity.")
    first, samples = _samples(rows)
    return _Read(
        sport=str(sport or "running"),
        started_at=_moment(session.get("start_time")) or first,
        samples=samples,
        elapsed_seconds=_number(session.get("total_elapsed_time"), 1, 48 * 3600),
        timer_seconds=_number(session.get("total_timer_time"), 1, 48 * 3600),
        distance_m=_number(session.get("total_distance"), 0, 500_000),
    )


# -- GPX and TCX ----------------------------------------------------------------------------


def _refuse_entities(data: bytes) -> None:
    # Neither format needs a document type; one is how entity bombs and external entities
    # get in, so it is refused before any parser sees the file.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValidationError("The file declares a document type, which GPX and TCX never do.")


def _gpx_heart_rate(point) -> int | None:
    for extension in point.extensions:
        for element in extension.iter():
            if element.tag.rsplit("}", 1)[-1].lower() in ("hr", "heartrate"):
                try:
                    return int(float(element.text))
                except (TypeError, ValueError):
                    return None
    return None


def _read_gpx(data: bytes) -> _Read:
    _refuse_entities(data)
    try:
        gpx = gpxpy.parse(data.decode("utf-8-sig", errors="replace"))
    except gpxpy.gpx.GPXException as error:
        raise _damaged(RunDone.Source.GPX) from error
    tracks = [t for t in gpx.tracks if any(s.points for s in t.segments)]
    if not tracks:
        raise ValidationError("The GPX file has no track points: there is no run in it.")
    rows, metres, previous = [], 0.0, None
    for segment in (s for t in tracks for s in t.segments):
        for point in segment.points:
            if point.time is None:
                raise ValidationError(
                    "The GPX file has no times (a planned route, not a recorded run): export "
                    "the activity from the watch's app instead."
                )
            if previous is not None:
                metres += point.distance_2d(previous) or 0.0
            previous = point
            moment = point.time if point.time.tzinfo else point.time.replace(tzinfo=dt.UTC)
            rows.append((moment, metres, _gpx_heart_rate(point)))
    first, samples = _samples(rows)
    return _Read(sport=tracks[0].type or "running", started_at=first, samples=samples)


def _tcx_time(text: str | None) -> dt.datetime | None:
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise ValidationError(f"The TCX file has a time that is not one: {text[:40]}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _tcx_number(point, path: str) -> float | None:
    text = point.findtext(path, namespaces=TCX_NS)
    try:
        return float(text) if text else None
    except ValueError:
        return None


def _read_tcx(data: bytes) -> _Read:
    _refuse_entities(data)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)  # nosec B320: entities are not resolved
    except etree.XMLSyntaxError as error:
        raise _damaged(RunDone.Source.TCX) from error
    activity = root.find("tcx:Activities/tcx:Activity", TCX_NS)
    if activity is None:
        raise ValidationError("The TCX file holds no activity (a course or a workout plan?).")
    sport = activity.get("Sport", "running")
    _sport_checked(sport)
    rows = []
    for point in activity.iterfind(".//tcx:Trackpoint", TCX_NS):
        heart_rate = _tcx_number(point, "tcx:HeartRateBpm/tcx:Value")
        rows.append(
            (
                _tcx_time(point.findtext("tcx:Time", namespaces=TCX_NS)),
                _tcx_number(point, "tcx:DistanceMeters"),
                int(heart_rate) if heart_rate else None,
            )
        )
    first, samples = _samples(rows)
    return _Read(
        sport=sport,
        started_at=_tcx_time(activity.findtext("tcx:Id", namespaces=TCX_NS)) or first,
        samples=samples,
    )


# -- one activity from any of them ----------------------------------------------------------


def _format(data: bytes) -> str:
    if len(data) >= 12 and data[8:12] == b".FIT":
        return RunDone.Source.FIT
    if data[:4] == b"PK\x03\x04" or data[:2] == b"\x1f\x8b":
        raise ValidationError(
            "This is a compressed archive: unzip it and upload the .fit, .gpx or .tcx files inside."
        )
    head = data[:4096]
    if b"<gpx" in head:
        return RunDone.Source.GPX
    if b"<TrainingCenterDatabase" in head:
        return RunDone.Source.TCX
    raise ValidationError("This is not a FIT, GPX or TCX file.")


READERS = {
    RunDone.Source.FIT: _read_fit,
    RunDone.Source.GPX: _read_gpx,
    RunDone.Source.TCX: _read_tcx,
}


def _summary(source: str, read: _Read) -> Activity:
    sport = _sport_checked(read.sport)
    samples = read.samples
    if len(samples) < MIN_SAMPLES:
        raise ValidationError("The file has no track points with times: there is no run in it.")
    elapsed = read.elapsed_seconds or samples[-1].seconds
    moving = read.timer_seconds or rules.moving_seconds(samples)
    metres = read.distance_m or max((s.distance_m or 0 for s in samples), default=0)
    if elapsed < 1 or moving < 1:
        raise ValidationError("The run in the file lasts no time at all.")
    if elapsed > 48 * 3600 or metres > 500_000:
        raise ValidationError("The run in the file is longer than two days or 500 km.")
    return Activity(
        source=source,
        sport=sport,
        started_at=read.started_at.astimezone(dt.UTC),
        elapsed_seconds=round(elapsed),
        moving_seconds=min(round(moving), round(elapsed)) or 1,
        distance_m=round(metres) or None,
        average_heart_rate=rules.average_heart_rate(samples),
        splits=[{"m": s.distance_m, "s": s.seconds} for s in rules.km_splits(samples)],
    )


def _read_activity(data: bytes) -> Activity:
    source = _format(data)
    with warnings.catch_warnings():
        # fitdecode warns of every damaged field it reads past; what it cannot read past raises.
        warnings.simplefilter("ignore")
        try:
            read = READERS[source](data)
        except DAMAGED as error:
            raise _damaged(source) from error
    return _summary(source, read)


def activity_read(data: bytes) -> Activity:
    """The run in a FIT, GPX or TCX file; ValidationError with the reason for anything else."""
    if len(data) > MAX_ACTIVITY_BYTES:
        raise ValidationError(TOO_LARGE)
    if not data.strip():
        raise ValidationError("The file is empty.")
    return read_bounded(
        _read_activity,
        data,
        cpu_seconds=READ_CPU_SECONDS,
        wall_seconds=READ_WALL_SECONDS,
        too_long=TOO_LONG,
    )
