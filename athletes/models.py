import datetime as dt
import secrets
import uuid
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from athletes.rules.freshness import counts_for_freshness
from athletes.rules.placement import RunSpec
from athletes.rules.strength import Load, SetDone, set_in_words
from programs.models import Exercise, Intensity, Program, ProgramPrescription, ProgramSession

MIN_FRESHNESS_WINDOW_HOURS = 24
DEFAULT_FRESHNESS_WINDOW_HOURS = 36
MAX_FRESHNESS_WINDOW_HOURS = 96
COACH_NOTE_MAX_LENGTH = 2000


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone, e.g. Europe/London.")


def new_feed_token():
    return secrets.token_urlsafe(24)


class Athlete(models.Model):
    """An athlete's training profile, coached by one coach at a time (none once removed from a
    roster, until they join another)."""

    class Unit(models.TextChoices):
        KG = "kg", "kg"
        LB = "lb", "lb"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="athlete"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coached_athletes",
    )
    # When the current coach took over from another (null: they have coached from the start).
    # A coach sees the training from this moment on; what came before was another coach's.
    coached_since = models.DateTimeField(null=True, blank=True, editable=False)
    time_zone = models.CharField(
        max_length=64, default="Europe/London", validators=[validate_time_zone]
    )
    unit = models.CharField(max_length=2, choices=Unit.choices, default=Unit.KG)
    freshness_window_hours = models.PositiveSmallIntegerField(
        default=DEFAULT_FRESHNESS_WINDOW_HOURS,
        help_text="No heavy strength this many hours before a race or key session (24 at least).",
    )
    default_session_time = models.TimeField(
        default=dt.time(17, 30),
        help_text="Time of day a strength session is planned for by default.",
    )
    # The coach's own words about the athlete (an injury, a goal): never shown to the athlete.
    coach_note = models.TextField(max_length=COACH_NOTE_MAX_LENGTH, blank=True)
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    freshness_window_hours__gte=MIN_FRESHNESS_WINDOW_HOURS,
                    freshness_window_hours__lte=MAX_FRESHNESS_WINDOW_HOURS,
                ),
                name="athlete_freshness_window_24_to_96",
            ),
            models.CheckConstraint(condition=Q(unit__in=["kg", "lb"]), name="athlete_unit_valid"),
        ]

    def __str__(self):
        return self.user.get_full_name() or self.user.username

    @property
    def tz(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    def date_at(self, instant: dt.datetime) -> dt.date:
        """The day `instant` falls on where the athlete lives."""
        return instant.astimezone(self.tz).date()

    def today(self, now: dt.datetime | None = None) -> dt.date:
        """The athlete's today (at `now` when given): already tomorrow in Auckland while it is
        still today in London, so "today's session" and "from today on" follow their clock,
        not the server's."""
        return self.date_at(now or timezone.now())


EASY_RUN_IS_NEVER_KEY = (
    "An easy run can't be a key session: make it a long, tempo or interval run, or untick Key."
)


class RunEvent(models.Model):
    """A race or a run session in the athlete's week."""

    class Kind(models.TextChoices):
        RACE = "race", "Race"
        EASY = "easy", "Easy run"
        LONG = "long", "Long run"
        TEMPO = "tempo", "Tempo run"
        INTERVAL = "interval", "Intervals"

    class Priority(models.TextChoices):
        A = "A", "A race"
        B = "B", "B race"
        C = "C", "C race"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="run_events")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=120, blank=True)
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    priority = models.CharField(max_length=1, choices=Priority.choices, blank=True)
    is_key = models.BooleanField(
        default=False, help_text="A key session: heavy strength is kept out of the hours before it."
    )
    # iCalendar UID of an imported event, so a re-import updates instead of duplicating.
    external_uid = models.CharField(max_length=255, blank=True)
    # Made when the form was shown, so a resubmitted or retried post adds the event once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["athlete", "starts_at"])]
        constraints = [
            models.UniqueConstraint(
                "athlete", "idempotency_key", name="run_event_idempotency_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["race", "easy", "long", "tempo", "interval"]),
                name="run_event_kind_valid",
            ),
            models.CheckConstraint(
                condition=~Q(kind="race") | Q(priority__in=["A", "B", "C"]),
                name="run_event_race_has_priority",
            ),
            models.CheckConstraint(
                condition=Q(kind="race") | Q(priority=""), name="run_event_only_races_have_priority"
            ),
            models.CheckConstraint(
                condition=~Q(kind="easy") | Q(is_key=False),
                name="run_event_easy_run_is_never_key",
                violation_error_message=EASY_RUN_IS_NEVER_KEY,
            ),
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="run_event_duration_range",
            ),
            models.CheckConstraint(
                condition=Q(distance_m__isnull=True)
                | Q(distance_m__gte=1, distance_m__lte=500_000),
                name="run_event_distance_range",
            ),
            models.UniqueConstraint(
                "athlete",
                "external_uid",
                condition=~Q(external_uid=""),
                name="run_event_external_uid_unique",
            ),
        ]

    def __str__(self):
        return self.name or self.get_kind_display()

    def clean(self):
        if self.kind == self.Kind.EASY and self.is_key:
            raise ValidationError({"is_key": EASY_RUN_IS_NEVER_KEY})

    @property
    def counts_for_freshness(self):
        """Races and key sessions are what heavy strength must stay away from."""
        return counts_for_freshness(self.kind, self.is_key)

    def as_spec(self) -> RunSpec:
        """The run as placement reads it."""
        return RunSpec(
            starts_at=self.starts_at,
            kind=self.kind,
            name=self.name,
            is_key=self.is_key,
            duration_minutes=self.duration_minutes,
            priority=self.priority,
        )


class Assignment(models.Model):
    """A program given to an athlete from a start date (a Monday)."""

    athlete = models.ForeignKey(Athlete, on_delete=models.PROTECT, related_name="assignments")
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="assignments")
    start_date = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-start_date"]
        constraints = [
            # Among assignments not ended: one ended (even before it started) does not stand in
            # the way of the same program from the same Monday again.
            models.UniqueConstraint(
                "athlete",
                "program",
                "start_date",
                condition=Q(ended_at__isnull=True),
                name="assignment_unique_per_start",
            ),
        ]

    def __str__(self):
        return f"{self.program} → {self.athlete} from {self.start_date}"


class ScheduledSession(models.Model):
    """One program session put on a date (and time of day) for one athlete."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        COMPLETED = "completed", "Completed"
        SKIPPED = "skipped", "Skipped"

    athlete = models.ForeignKey(
        Athlete, on_delete=models.PROTECT, related_name="scheduled_sessions"
    )
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, related_name="sessions")
    program_session = models.ForeignKey(
        ProgramSession, on_delete=models.PROTECT, related_name="scheduled"
    )
    name = models.CharField(max_length=80)
    intensity = models.CharField(max_length=8, choices=Intensity.choices)
    date = models.DateField()
    time_of_day = models.TimeField(null=True, blank=True)
    # date + time_of_day in the athlete's zone, kept as an aware instant for set-based checks.
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    placement_reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    session_rpe = models.PositiveSmallIntegerField(null=True, blank=True)
    actual_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    skip_reason = models.CharField(max_length=200, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        indexes = [
            models.Index(fields=["athlete", "date"]),
            models.Index(fields=["starts_at"]),
            # The coach's dashboard reads a roster's last two weeks of sessions by date at once.
            models.Index(fields=["date"]),
        ]
        constraints = [
            models.UniqueConstraint(
                "assignment", "program_session", name="scheduled_session_once_per_assignment"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["planned", "completed", "skipped"]),
                name="scheduled_session_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(intensity__in=["heavy", "moderate", "light"]),
                name="scheduled_session_intensity_valid",
            ),
            models.CheckConstraint(
                condition=Q(session_rpe__isnull=True) | Q(session_rpe__gte=1, session_rpe__lte=10),
                name="scheduled_session_rpe_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(actual_minutes__isnull=True) | Q(actual_minutes__lte=600),
                name="scheduled_session_actual_minutes_range",
            ),
            models.CheckConstraint(
                condition=~Q(status="skipped") | ~Q(skip_reason=""),
                name="scheduled_session_skip_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.name} on {self.date}"

    @property
    def is_heavy(self):
        return self.intensity == Intensity.HEAVY


class SetLog(models.Model):
    """One logged set, with what was prescribed stored next to what was done.

    The primary key is made on the athlete's device, so a retried or doubled request is the
    same set, never a second one.
    """

    class Side(models.TextChoices):
        BOTH = "", "Both"
        LEFT = "left", "Left"
        RIGHT = "right", "Right"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    scheduled_session = models.ForeignKey(
        ScheduledSession, on_delete=models.PROTECT, related_name="set_logs"
    )
    prescription = models.ForeignKey(
        ProgramPrescription, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="set_logs")
    set_number = models.PositiveSmallIntegerField()
    side = models.CharField(max_length=5, choices=Side.choices, blank=True, default=Side.BOTH)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    load_kg = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    # The load as the athlete entered it, in the unit they entered it in: a set reads back as
    # entered (12 kg, 27.5 lb), whatever the rounding to kilograms or their unit since.
    load_entered = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    load_unit = models.CharField(max_length=2, choices=Athlete.Unit.choices, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    prescribed = models.CharField(
        max_length=120, blank=True, help_text="The prescription in words, as it was when logged."
    )
    prescribed_reps_min = models.PositiveSmallIntegerField(null=True, blank=True)
    prescribed_reps_max = models.PositiveSmallIntegerField(null=True, blank=True)
    prescribed_hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    logged_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["logged_at"]
        constraints = [
            models.UniqueConstraint(
                "scheduled_session",
                "exercise",
                "set_number",
                "side",
                name="set_log_one_per_set_and_side",
            ),
            models.CheckConstraint(
                condition=Q(set_number__gte=1, set_number__lte=30), name="set_log_set_number_range"
            ),
            models.CheckConstraint(
                condition=Q(side__in=["", "left", "right"]), name="set_log_side_valid"
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=True) | Q(reps__lte=100), name="set_log_reps_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True) | Q(load_kg__gte=0, load_kg__lte=500),
                name="set_log_load_0_to_500_kg",
            ),
            models.CheckConstraint(
                condition=Q(load_kg__isnull=True, load_entered__isnull=True, load_unit="")
                | Q(load_kg__isnull=False, load_entered__isnull=False, load_unit__in=["kg", "lb"]),
                name="set_log_load_kept_as_entered",
            ),
            models.CheckConstraint(
                condition=~Q(load_unit="kg") | Q(load_kg=F("load_entered")),
                name="set_log_load_entered_in_kg_is_the_load",
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True) | Q(hold_seconds__lte=600),
                name="set_log_hold_at_most_10_min",
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | Q(rpe__gte=1, rpe__lte=10),
                name="set_log_rpe_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(reps__isnull=False) | Q(hold_seconds__isnull=False),
                name="set_log_reps_or_hold",
            ),
        ]

    def __str__(self):
        return f"{self.exercise} set {self.set_number}{' ' + self.side if self.side else ''}"

    @property
    def load(self) -> Load | None:
        """The load as it was entered."""
        return None if self.load_entered is None else Load(self.load_entered, self.load_unit)

    @property
    def in_words(self) -> str:
        """ "5 × 60 kg", "30 s": the set as it was entered."""
        return set_in_words(self.as_done())

    def as_done(self) -> SetDone:
        """The set as the rules read it (in words, its estimated 1RM)."""
        return SetDone(
            set_number=self.set_number,
            side=self.side,
            reps=self.reps,
            load=self.load,
            hold_seconds=self.hold_seconds,
            rpe=self.rpe,
        )


class Flag(models.Model):
    """A heavy session too close to a race or key session. One per (session, event, kind)."""

    class Kind(models.TextChoices):
        FRESHNESS = "freshness", "Inside the freshness window"
        TAPER = "taper", "Heavy in the taper before an A race"

    class Severity(models.TextChoices):
        CONFLICT = "conflict", "Conflict"
        WARNING = "warning", "Warning"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="flags")
    scheduled_session = models.ForeignKey(
        ScheduledSession, on_delete=models.CASCADE, related_name="flags"
    )
    run_event = models.ForeignKey(
        RunEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="flags"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FRESHNESS)
    severity = models.CharField(max_length=8, choices=Severity.choices)
    hours_before = models.DecimalField(max_digits=6, decimal_places=1)
    # The two instants the flag was raised for: an acknowledgement holds only while they hold.
    session_ends_at = models.DateTimeField()
    event_starts_at = models.DateTimeField()
    event_name = models.CharField(max_length=120, blank=True)
    suggested_starts_at = models.DateTimeField(null=True, blank=True)
    # Why the suggested day, for the coach: "In its program week, 38 h before City 10K (…)".
    suggestion_reason = models.CharField(max_length=200, blank=True)
    # Set by the flag upsert (not auto_now_add, which bulk_create would overwrite on a re-raise).
    raised_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["resolved_at", "severity", "event_starts_at"]
        indexes = [models.Index(fields=["athlete", "resolved_at"])]
        constraints = [
            models.UniqueConstraint(
                "scheduled_session", "run_event", "kind", name="flag_one_per_session_event_kind"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["freshness", "taper"]), name="flag_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(severity__in=["conflict", "warning"]), name="flag_severity_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_severity_display()}: {self.scheduled_session} before {self.event_name}"

    @property
    def is_open(self):
        return self.resolved_at is None

    @property
    def advice_without_a_day(self) -> str:
        """What to do when the check found no better day: its reason ("No clear day before City
        10K in this block: lighten it or skip it"), or, for a flag raised before flags said
        why, the old words."""
        return self.suggestion_reason or "No clear day within two weeks: move it by hand"


class FlagScan(models.Model):
    """One run of the periodic flag scan (beat → flags_scan → flags_scan_chunk on the workers):
    how many chunks it sent, which are done and when the last one was. /healthz reports the age
    of the last finished scan, so a beat or workers that stopped show there."""

    started_at = models.DateTimeField(default=timezone.now)
    chunks_sent = models.PositiveIntegerField()
    # The first athlete id of each chunk done: a chunk that runs twice counts once.
    chunks_done = models.JSONField(default=list, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Flag scan of {self.started_at:%Y-%m-%d %H:%M}"


class TransferTest(models.Model):
    """A test of whether strength transfers to running: sprints, hills, bounds, tempo RPE, 5K."""

    class Kind(models.TextChoices):
        SPRINT = "sprint", "Sprint time"
        HILL = "hill", "Short hill time"
        BOUNDING = "bounding", "Bounding distance"
        TEMPO_RPE = "tempo_rpe", "Tempo-run RPE at fixed pace"
        RACE_5K = "race_5k", "5K result"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="transfer_tests")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField()
    value = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        help_text="Seconds for times, metres for distances, 1–10 for RPE.",
    )
    detail = models.CharField(max_length=80, blank=True, help_text="e.g. 60 m, 5 bounds, 4:00/km")
    splits = models.JSONField(default=list, blank=True)
    notes = models.CharField(max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Made when the form was shown, so a resubmitted or retried post records the test once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                "athlete", "idempotency_key", name="transfer_test_idempotency_key_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["sprint", "hill", "bounding", "tempo_rpe", "race_5k"]),
                name="transfer_test_kind_valid",
            ),
            models.CheckConstraint(condition=Q(value__gt=0), name="transfer_test_value_positive"),
            models.CheckConstraint(
                condition=~Q(kind="tempo_rpe") | Q(value__gte=1, value__lte=10),
                name="transfer_test_rpe_1_to_10",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.value} on {self.date}"


class Handover(models.Model):
    """A coach's offer to hand one of their athletes to another coach, who accepts it."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="handovers")
    from_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handovers_offered"
    )
    to_coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="handovers_received"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            # An athlete is offered to one coach at a time; a new offer replaces the old.
            models.UniqueConstraint("athlete", name="handover_one_per_athlete"),
            models.CheckConstraint(
                condition=~Q(from_coach=F("to_coach")), name="handover_to_another_coach"
            ),
        ]

    def __str__(self):
        return f"{self.athlete} from {self.from_coach} to {self.to_coach}"


class Thread(models.Model):
    """The conversation about one scheduled session, one run event, or one unplanned run done
    (a run done as planned is talked about in its run event's thread), between the athlete and
    their coach. Made the first time someone writes in it."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="threads")
    scheduled_session = models.OneToOneField(
        ScheduledSession, on_delete=models.CASCADE, null=True, blank=True, related_name="thread"
    )
    run_event = models.OneToOneField(
        RunEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="thread"
    )
    run_done = models.OneToOneField(
        "RunDone", on_delete=models.CASCADE, null=True, blank=True, related_name="thread"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    scheduled_session__isnull=False, run_event__isnull=True, run_done__isnull=True
                )
                | Q(scheduled_session__isnull=True, run_event__isnull=False, run_done__isnull=True)
                | Q(scheduled_session__isnull=True, run_event__isnull=True, run_done__isnull=False),
                name="thread_about_exactly_one_subject",
            ),
        ]

    def __str__(self):
        return f"Thread about {self.subject}"

    @property
    def subject(self):
        return self.scheduled_session or self.run_event or self.run_done

    @staticmethod
    def field_for(subject) -> str:
        """The field of a thread about `subject`: a session, a run event or a run done."""
        fields = {ScheduledSession: "scheduled_session", RunEvent: "run_event", RunDone: "run_done"}
        return fields[type(subject)]


COMMENT_MAX_LENGTH = 4000


class Comment(models.Model):
    """One message in a thread: plain text, made on the author's device with its own id, so a
    retried post stores it once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    body = models.TextField(max_length=COMMENT_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["thread", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="comment_body_not_empty"),
        ]

    def __str__(self):
        return f"{self.author} on {self.created_at:%Y-%m-%d %H:%M}"


class ThreadRead(models.Model):
    """How far a user has read a thread: what came in after `read_at` is unread."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="reads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="thread_reads"
    )
    read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint("thread", "user", name="thread_read_once_per_user"),
        ]

    def __str__(self):
        return f"{self.user} read {self.thread} at {self.read_at:%Y-%m-%d %H:%M}"


class RunDone(models.Model):
    """A run the athlete did: marked done by hand or read from a watch's file, matched to the
    planned run it was (or unplanned). Its summary and per-km splits only: never the GPS track."""

    class Source(models.TextChoices):
        MANUAL = "manual", "Entered by hand"
        FIT = "fit", "FIT file"
        GPX = "gpx", "GPX file"
        TCX = "tcx", "TCX file"

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="runs_done")
    run_event = models.OneToOneField(
        RunEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="done"
    )
    kind = models.CharField(max_length=8, choices=RunEvent.Kind.choices, default="easy")
    started_at = models.DateTimeField()
    elapsed_seconds = models.PositiveIntegerField()
    moving_seconds = models.PositiveIntegerField()
    distance_m = models.PositiveIntegerField(null=True, blank=True)
    average_heart_rate = models.PositiveSmallIntegerField(null=True, blank=True)
    rpe = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="How hard the whole run felt, 1 (very easy) to 10."
    )
    source = models.CharField(max_length=6, choices=Source.choices)
    # The sport as the file names it (running, trail_running, treadmill…): with started_at,
    # the key that makes a re-upload of the same activity a no-op.
    sport = models.CharField(max_length=40, default="running")
    splits = models.JSONField(default=list, blank=True)  # [{"m": 1000, "s": 245.3}, …]
    # Made when the form was shown, so a resubmitted or retried post records the run once.
    idempotency_key = models.UUIDField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["started_at"]
        indexes = [models.Index(fields=["athlete", "started_at"])]
        constraints = [
            models.UniqueConstraint(
                "athlete", "idempotency_key", name="run_done_idempotency_key_unique"
            ),
            models.UniqueConstraint(
                "athlete",
                "started_at",
                "sport",
                condition=~Q(source="manual"),
                name="run_done_activity_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["race", "easy", "long", "tempo", "interval"]),
                name="run_done_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(source__in=["manual", "fit", "gpx", "tcx"]),
                name="run_done_source_valid",
            ),
            models.CheckConstraint(
                condition=Q(moving_seconds__gte=1, moving_seconds__lte=F("elapsed_seconds"))
                & Q(elapsed_seconds__lte=48 * 3600),
                name="run_done_times_range",
            ),
            models.CheckConstraint(
                condition=Q(distance_m__isnull=True)
                | Q(distance_m__gte=1, distance_m__lte=500_000),
                name="run_done_distance_range",
            ),
            models.CheckConstraint(
                condition=Q(rpe__isnull=True) | Q(rpe__gte=1, rpe__lte=10),
                name="run_done_rpe_1_to_10",
            ),
            models.CheckConstraint(
                condition=Q(average_heart_rate__isnull=True)
                | Q(average_heart_rate__gte=20, average_heart_rate__lte=250),
                name="run_done_heart_rate_range",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} done"

    @property
    def distance_km(self) -> float | None:
        return self.distance_m / 1000 if self.distance_m else None

    @property
    def minutes(self) -> int:
        """Moving time in whole minutes, as the session load counts it."""
        return round(self.moving_seconds / 60)

    @property
    def thread_subject(self) -> "RunEvent | RunDone":
        """What the run is talked about as: the planned run it was (one thread for the plan and
        how it went), or itself when unplanned."""
        return self.run_event or self


class OneRepMax(models.Model):
    """A tested one-rep max of one lift, entered by the athlete or their coach: the max a %1RM
    prescription's load is worked out from, before any estimate. One per athlete and lift,
    the newest test replacing the last. Kept as entered, like a set's load."""

    athlete = models.ForeignKey(Athlete, on_delete=models.CASCADE, related_name="one_rep_maxes")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    load_kg = models.DecimalField(max_digits=6, decimal_places=2)
    load_entered = models.DecimalField(max_digits=6, decimal_places=2)
    load_unit = models.CharField(max_length=2, choices=Athlete.Unit.choices)
    tested_on = models.DateField()
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint("athlete", "exercise", name="one_rep_max_one_per_lift"),
            models.CheckConstraint(
                condition=Q(load_kg__gt=0, load_kg__lte=500), name="one_rep_max_load_0_to_500_kg"
            ),
            models.CheckConstraint(
                condition=Q(load_unit__in=["kg", "lb"]), name="one_rep_max_unit_valid"
            ),
            models.CheckConstraint(
                condition=~Q(load_unit="kg") | Q(load_kg=F("load_entered")),
                name="one_rep_max_entered_in_kg_is_the_load",
            ),
        ]

    def __str__(self):
        return f"{self.exercise} 1RM {self.load}"

    @property
    def load(self) -> Load:
        return Load(self.load_entered, self.load_unit)
