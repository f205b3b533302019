"""Watch files the tests write themselves: FIT with fit-tool's encoder, GPX and TCX as XML.

Each describes a run at a steady pace per km from `start`, a sample every `every` seconds,
with heart rate when `heart_rate` is given; coordinates walk north from a point in London.
"""

import datetime as dt

from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.monitoring_message import MonitoringMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import Event, EventType, FileType, Manufacturer, Sport

START = dt.datetime(2026, 3, 10, 7, 0, tzinfo=dt.UTC)
METRES_PER_DEGREE = 111_195  # of latitude


def samples(km_seconds=(300, 300, 300), every=10, heart_rate=None):
    """(seconds, metres, bpm or None) every `every` seconds for km run in `km_seconds`."""
    points, elapsed, metres = [(0, 0.0, heart_rate)], 0.0, 0.0
    for seconds in km_seconds:
        speed = 1000 / seconds
        end = elapsed + seconds
        while elapsed + every <= end + 1e-9:
            elapsed += every
            metres += speed * every
            points.append((elapsed, round(metres, 2), heart_rate))
        if elapsed < end:  # the rest of the km
            metres += speed * (end - elapsed)
            elapsed = end
            points.append((elapsed, round(metres, 2), heart_rate))
    return points


def _ms(moment: dt.datetime) -> int:
    return round(moment.timestamp() * 1000)


def _builder(file_type: FileType, start: dt.datetime) -> FitFileBuilder:
    """A FIT file begun with its file_id: what kind of file it is, from which device, when."""
    builder = FitFileBuilder(auto_define=True, min_string_size=50)
    file_id = FileIdMessage()
    file_id.type = file_type
    file_id.manufacturer = Manufacturer.DEVELOPMENT.value
    file_id.product = 0
    file_id.time_created = _ms(start)
    file_id.serial_number = 0x12345678
    builder.add(file_id)
    return builder


def fit_activity(start=START, sport=Sport.RUNNING, heart_rate=150, **kwargs) -> bytes:
    points = samples(heart_rate=heart_rate, **kwargs)
    builder = _builder(FileType.ACTIVITY, start)
    timer = EventMessage()
    timer.event, timer.event_type, timer.timestamp = Event.TIMER, EventType.START, _ms(start)
    builder.add(timer)
    for seconds, metres, bpm in points:
        record = RecordMessage()
        record.timestamp = _ms(start + dt.timedelta(seconds=seconds))
        record.distance = metres
        record.position_lat = 51.5 + metres / METRES_PER_DEGREE
        record.position_long = -0.1
        if bpm:
            record.heart_rate = bpm
        builder.add(record)
    session = SessionMessage()
    session.timestamp = _ms(start + dt.timedelta(seconds=points[-1][0]))
    session.start_time = _ms(start)
    session.sport = sport
    session.total_elapsed_time = points[-1][0]
    session.total_timer_time = points[-1][0]
    session.total_distance = points[-1][1]
    builder.add(session)
    return builder.build().to_bytes()


def fit_monitoring(start=START) -> bytes:
    builder = _builder(FileType.MONITORING_B, start)
    for minute in range(5):
        monitoring = MonitoringMessage()
        monitoring.timestamp = _ms(start + dt.timedelta(minutes=minute))
        monitoring.heart_rate = 60
        builder.add(monitoring)
    return builder.build().to_bytes()


def _iso(moment: dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def gpx_activity(start=START, kind="running", times=True, heart_rate=None, **kwargs) -> bytes:
    points = []
    for seconds, metres, bpm in samples(heart_rate=heart_rate, **kwargs):
        time = f"<time>{_iso(start + dt.timedelta(seconds=seconds))}</time>" if times else ""
        hr = (
            "<extensions><gpxtpx:TrackPointExtension>"
            f"<gpxtpx:hr>{bpm}</gpxtpx:hr></gpxtpx:TrackPointExtension></extensions>"
            if bpm
            else ""
        )
        lat = 51.5 + metres / METRES_PER_DEGREE
        points.append(f'<trkpt lat="{lat:.7f}" lon="-0.1000000">{time}{hr}</trkpt>')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="tests" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">'
        f"<trk><name>Morning run</name><type>{kind}</type><trkseg>{''.join(points)}"
        "</trkseg></trk></gpx>"
    ).encode()


def tcx_activity(start=START, sport="Running", heart_rate=None, **kwargs) -> bytes:
    points = []
    for seconds, metres, bpm in samples(heart_rate=heart_rate, **kwargs):
        hr = f"<HeartRateBpm><Value>{bpm}</Value></HeartRateBpm>" if bpm else ""
        points.append(
            f"<Trackpoint><Time>{_iso(start + dt.timedelta(seconds=seconds))}</Time>"
            f"<DistanceMeters>{metres}</DistanceMeters>{hr}</Trackpoint>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2">'
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(start)}</Id>'
        f'<Lap StartTime="{_iso(start)}"><Track>{"".join(points)}</Track></Lap>'
        "</Activity></Activities></TrainingCenterDatabase>"
    ).encode()
