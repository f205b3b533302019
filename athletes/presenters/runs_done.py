"""A run done as its pages show it: times, pace, heart rate, splits with their pace, the
finish fade and the pace per heartbeat, in words; and the URLs for the role looking."""

from dataclasses import dataclass
from decimal import Decimal

from django.urls import reverse

from athletes.models import RunDone, RunEvent
from athletes.rules import runs as rules
from athletes.rules.progress import format_duration


def duration_in_words(seconds) -> str:
    return format_duration(Decimal(str(round(seconds))))


def pace_in_words(seconds_per_km: Decimal) -> str:
    return f"{format_duration(Decimal(round(seconds_per_km)))}/km"


def splits_of(run: RunDone) -> list[rules.Split]:
    return [rules.Split(s["m"], s["s"]) for s in run.splits]


def fade_in_words(fade: rules.Fade) -> str:
    sign = "+" if fade.seconds_per_km > 0 else "−" if fade.seconds_per_km < 0 else "±"
    return (
        f"Last km {pace_in_words(fade.last_km_pace)} against an average of "
        f"{pace_in_words(fade.average_pace)}: {sign}{abs(fade.seconds_per_km)} s/km "
        f"({sign}{abs(fade.percent)}%)"
    )


@dataclass(frozen=True)
class RunSummary:
    run: RunDone
    moving: str
    elapsed: str
    distance: str
    pace: str
    heart_rate: str
    splits: list[tuple[str, str, str]]  # (km, time, pace)
    fade: str
    economy: str


def run_summary(run: RunDone) -> RunSummary:
    pace = distance = fade = economy = ""
    if run.distance_m:
        distance = f"{Decimal(run.distance_m) / 1000:.2f} km"
        pace = pace_in_words(rules.pace(run.moving_seconds, run.distance_m))
        per_beat = rules.metres_per_heartbeat(
            run.moving_seconds, run.distance_m, run.average_heart_rate
        )
        economy = f"{per_beat} m per heartbeat" if per_beat else ""
    splits = splits_of(run)
    rows, covered = [], 0
    for split in splits:
        covered += split.distance_m
        km = f"{covered / 1000:g}" if split.distance_m == rules.KM else f"{covered / 1000:.2f}"
        rows.append((km, duration_in_words(split.seconds), pace_in_words(Decimal(split.pace))))
    measured = rules.finish_fade(splits)
    if measured is not None:
        fade = fade_in_words(measured)
    return RunSummary(
        run=run,
        moving=duration_in_words(run.moving_seconds),
        elapsed=duration_in_words(run.elapsed_seconds),
        distance=distance,
        pace=pace,
        heart_rate=f"{run.average_heart_rate} bpm" if run.average_heart_rate else "",
        splits=rows,
        fade=fade,
        economy=economy,
    )


def upload_url(athlete, *, for_coach: bool) -> str:
    if for_coach:
        return reverse("athletes:athlete-runs-done-upload", args=[athlete.pk])
    return reverse("athletes:runs-done-upload")


def record_url(athlete, planned: RunEvent | None = None, *, for_coach: bool) -> str:
    if for_coach:
        url = reverse("athletes:athlete-run-done-create", args=[athlete.pk])
    else:
        url = reverse("athletes:run-done-create")
    return f"{url}?planned={planned.pk}" if planned else url
