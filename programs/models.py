from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from programs.rules import PrescriptionSpec


class Intensity(models.TextChoices):
    HEAVY = "heavy", "Heavy"
    MODERATE = "moderate", "Moderate"
    LIGHT = "light", "Light"


class Exercise(models.Model):
    class Category(models.TextChoices):
        STRENGTH = "strength", "Strength"
        POWER = "power", "Power / plyometric"
        CORE = "core", "Core"
        MOBILITY = "mobility", "Mobility / warm-up"

    class Pattern(models.TextChoices):
        SQUAT = "squat", "Squat"
        HINGE = "hinge", "Hinge"
        LUNGE = "lunge", "Lunge / split stance"
        JUMP = "jump", "Jump / plyometric"
        CALF = "calf", "Calf / ankle"
        ANTI_ROTATION = "anti_rotation", "Anti-rotation"
        ANTI_LATERAL = "anti_lateral", "Anti-lateral flexion"
        ANTI_EXTENSION = "anti_extension", "Anti-extension"
        PUSH = "push", "Push"
        PULL = "pull", "Pull"
        DRILL = "drill", "Running drill"
        MOBILITY = "mobility", "Mobility"
        BALANCE = "balance", "Balance"

    class Measure(models.TextChoices):
        REPS = "reps", "Reps"
        TIME = "time", "Time"
        DISTANCE = "distance", "Distance"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        PUBLISHED = "published", "Published"
        RETIRED = "retired", "Retired"

    name = models.CharField(max_length=80)
    category = models.CharField(max_length=16, choices=Category.choices)
    pattern = models.CharField(max_length=16, choices=Pattern.choices)
    is_unilateral = models.BooleanField("unilateral", default=False)
    measure = models.CharField(max_length=16, choices=Measure.choices, default=Measure.REPS)
    equipment = models.CharField(max_length=80, blank=True)
    cues = models.TextField(blank=True)
    video_url = models.URLField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_exercises",
        help_text="The coach who proposed it; private to them until an admin publishes it.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="exercise_name_unique_ci"),
            models.CheckConstraint(
                condition=Q(category__in=["strength", "power", "core", "mobility"]),
                name="exercise_category_valid",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=["reps", "time", "distance"]),
                name="exercise_measure_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["proposed", "published", "retired"]),
                name="exercise_status_valid",
            ),
        ]

    def __str__(self):
        return self.name


class PrescriptionFields(models.Model):
    """What to do with one exercise: sets of a rep range or a hold, load guidance, rest, a cue.

    Shared by library templates (Prescription) and by a program's own snapshot
    (ProgramPrescription), so the database rules are written once.
    """

    class Block(models.TextChoices):
        WARMUP = "warmup", "Warm-up"
        MAIN = "main", "Main"
        CORE = "core", "Core"

    class LoadKind(models.TextChoices):
        NONE = "none", "No load guidance"
        PERCENT_1RM = "percent_1rm", "% of 1RM"
        RPE = "rpe", "RPE"
        WORDS = "words", "In words"

    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    block = models.CharField(max_length=8, choices=Block.choices, default=Block.MAIN)
    sets = models.PositiveSmallIntegerField(default=3)
    reps_min = models.PositiveSmallIntegerField(null=True, blank=True)
    reps_max = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)
    per_side = models.BooleanField(default=False)
    load_kind = models.CharField(max_length=12, choices=LoadKind.choices, default=LoadKind.NONE)
    load_percent_1rm = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    load_rpe = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    load_text = models.CharField(max_length=80, blank=True)
    rest_seconds = models.PositiveSmallIntegerField(default=90)
    cue = models.CharField(max_length=200, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sets__gte=1, sets__lte=20), name="%(class)s_sets_1_to_20"
            ),
            models.CheckConstraint(
                condition=Q(reps_min__isnull=False) | Q(hold_seconds__isnull=False),
                name="%(class)s_reps_or_hold",
            ),
            models.CheckConstraint(
                condition=Q(reps_min__isnull=True) | Q(reps_min__gte=1, reps_min__lte=100),
                name="%(class)s_reps_min_range",
            ),
            models.CheckConstraint(
                condition=Q(reps_max__isnull=True)
                | (Q(reps_min__isnull=False) & Q(reps_max__gte=models.F("reps_min"))),
                name="%(class)s_reps_min_le_max",
            ),
            models.CheckConstraint(
                condition=Q(reps_max__isnull=True) | Q(reps_max__lte=100),
                name="%(class)s_reps_max_range",
            ),
            models.CheckConstraint(
                condition=Q(hold_seconds__isnull=True)
                | Q(hold_seconds__gte=1, hold_seconds__lte=600),
                name="%(class)s_hold_range",
            ),
            models.CheckConstraint(
                condition=Q(rest_seconds__lte=900), name="%(class)s_rest_at_most_15_min"
            ),
            models.CheckConstraint(
                condition=Q(load_kind__in=["none", "percent_1rm", "rpe", "words"]),
                name="%(class)s_load_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(block__in=["warmup", "main", "core"]),
                name="%(class)s_block_valid",
            ),
            models.CheckConstraint(
                condition=Q(load_percent_1rm__isnull=True)
                | Q(load_percent_1rm__gt=0, load_percent_1rm__lte=100),
                name="%(class)s_percent_1rm_range",
            ),
            models.CheckConstraint(
                condition=Q(load_rpe__isnull=True) | Q(load_rpe__gte=1, load_rpe__lte=10),
                name="%(class)s_rpe_range",
            ),
            models.CheckConstraint(
                condition=~Q(load_kind="percent_1rm") | Q(load_percent_1rm__isnull=False),
                name="%(class)s_percent_needs_value",
            ),
            models.CheckConstraint(
                condition=~Q(load_kind="rpe") | Q(load_rpe__isnull=False),
                name="%(class)s_rpe_needs_value",
            ),
            models.CheckConstraint(
                condition=~Q(load_kind="words") | ~Q(load_text=""),
                name="%(class)s_words_needs_text",
            ),
        ]

    def as_spec(self) -> PrescriptionSpec:
        """The prescription as the rules read it (intensity, progression, the linter, sets in
        words). Its exercise is read too: select or prefetch it for many."""
        return PrescriptionSpec(
            exercise_id=self.exercise_id,
            category=self.exercise.category,
            is_unilateral=self.exercise.is_unilateral,
            block=self.block,
            sets=self.sets,
            reps_min=self.reps_min,
            reps_max=self.reps_max,
            hold_seconds=self.hold_seconds,
            per_side=self.per_side,
            load_kind=self.load_kind,
            load_percent_1rm=self.load_percent_1rm,
            load_rpe=self.load_rpe,
            load_text=self.load_text,
            rest_seconds=self.rest_seconds,
        )


# Every value a prescription carries, in declaration order: what a copy or a snapshot repeats.
PRESCRIPTION_FIELD_NAMES = [field.name for field in PrescriptionFields._meta.local_fields]
# What a coach sets on a prescription beyond which exercise it is and where it sits.
PRESCRIPTION_DETAIL_FIELD_NAMES = [
    name for name in PRESCRIPTION_FIELD_NAMES if name not in {"exercise", "position"}
]


class SessionTemplate(models.Model):
    """An ordered list of prescriptions. No owner: a shared library template (Day A, Day B)."""

    name = models.CharField(max_length=80)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="session_templates",
    )
    description = models.TextField(blank=True)
    target_minutes = models.PositiveSmallIntegerField(default=30)
    intensity_override = models.CharField(
        max_length=8,
        choices=Intensity.choices,
        blank=True,
        help_text="Leave blank to derive the intensity from the prescriptions.",
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    # Bumped on every change to the prescriptions, so programs can tell their snapshot is stale.
    version = models.PositiveIntegerField(default=1)
    is_archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "owner",
                Lower("name"),
                condition=Q(owner__isnull=False),
                name="template_name_unique_per_owner",
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(owner__isnull=True),
                name="template_name_unique_in_library",
            ),
            models.CheckConstraint(
                condition=Q(intensity_override__in=["", "heavy", "moderate", "light"]),
                name="template_intensity_override_valid",
            ),
            models.CheckConstraint(
                condition=Q(target_minutes__gte=5, target_minutes__lte=180),
                name="template_target_minutes_range",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_library(self):
        return self.owner_id is None


class Prescription(PrescriptionFields):
    template = models.ForeignKey(
        SessionTemplate, on_delete=models.CASCADE, related_name="prescriptions"
    )

    class Meta(PrescriptionFields.Meta):
        pass

    def __str__(self):
        return f"{self.template}: {self.exercise}"


class Program(models.Model):
    """A microcycle: weeks × sessions built from templates, with week-by-week progression."""

    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(max_length=80)
    description = models.TextField(blank=True)
    weeks = models.PositiveSmallIntegerField(default=6)
    load_step_percent_1rm = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        default=2.5,
        help_text="Added to %1RM guidance each build week.",
    )
    load_step_rpe = models.DecimalField(
        max_digits=2,
        decimal_places=1,
        default=0.5,
        help_text="Added to RPE guidance each build week.",
    )
    copied_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="copies"
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(weeks__gte=4, weeks__lte=12), name="program_weeks_4_to_12"
            ),
            models.CheckConstraint(
                condition=Q(load_step_percent_1rm__gte=0, load_step_percent_1rm__lte=10),
                name="program_load_step_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(load_step_rpe__gte=0, load_step_rpe__lte=2),
                name="program_load_step_rpe_range",
            ),
            models.UniqueConstraint("coach", Lower("name"), name="program_name_unique_per_coach"),
        ]

    def __str__(self):
        return self.name


class ProgramWeek(models.Model):
    """How one week differs from the base prescriptions: a build, deload or taper week."""

    class Kind(models.TextChoices):
        BUILD = "build", "Build"
        DELOAD = "deload", "Deload"
        TAPER = "taper", "Taper"

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="program_weeks")
    number = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.BUILD)
    sets_delta = models.SmallIntegerField(default=0)
    reps_delta = models.SmallIntegerField(default=0)
    volume_percent = models.PositiveSmallIntegerField(
        default=100, help_text="Share of the sets kept; deload and taper weeks keep fewer."
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint("program", "number", name="program_week_unique"),
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=12), name="program_week_number_range"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["build", "deload", "taper"]), name="program_week_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(volume_percent__gte=20, volume_percent__lte=150),
                name="program_week_volume_range",
            ),
            models.CheckConstraint(
                condition=Q(sets_delta__gte=-5, sets_delta__lte=5),
                name="program_week_sets_delta_range",
            ),
            models.CheckConstraint(
                condition=Q(reps_delta__gte=-10, reps_delta__lte=10),
                name="program_week_reps_delta_range",
            ),
        ]

    def __str__(self):
        return f"{self.program} week {self.number}"


class ProgramSlot(models.Model):
    """One of the week's sessions (Day A, Day B), made from a template at a known version."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(default=0)
    label = models.CharField(max_length=80)
    template = models.ForeignKey(
        SessionTemplate, on_delete=models.PROTECT, related_name="program_slots"
    )
    template_version = models.PositiveIntegerField()
    # Snapshot of the template's override, so re-resolving weeks never reads the live template.
    intensity_override = models.CharField(max_length=8, choices=Intensity.choices, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return f"{self.program}: {self.label}"


class ProgramSlotPrescription(PrescriptionFields):
    """The slot's base prescriptions as copied from its template: what progression resolves.

    Kept so that changing week plans or load steps re-resolves from the snapshot, never from a
    template that may have been edited since.
    """

    slot = models.ForeignKey(
        ProgramSlot, on_delete=models.CASCADE, related_name="base_prescriptions"
    )

    class Meta(PrescriptionFields.Meta):
        pass

    def __str__(self):
        return f"{self.slot}: {self.exercise}"


class ProgramSession(models.Model):
    """One session of one week, with its own resolved prescriptions (a snapshot)."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sessions")
    slot = models.ForeignKey(ProgramSlot, on_delete=models.CASCADE, related_name="sessions")
    week = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=80)
    intensity = models.CharField(max_length=8, choices=Intensity.choices)
    estimated_minutes = models.PositiveSmallIntegerField(default=30)
    is_customized = models.BooleanField(
        default=False, help_text="Edited by hand for this week; progression leaves it alone."
    )

    class Meta:
        ordering = ["week", "slot__position"]
        constraints = [
            models.UniqueConstraint("slot", "week", name="program_session_unique_per_week"),
            models.CheckConstraint(
                condition=Q(week__gte=1, week__lte=12), name="program_session_week_range"
            ),
            models.CheckConstraint(
                condition=Q(intensity__in=["heavy", "moderate", "light"]),
                name="program_session_intensity_valid",
            ),
        ]

    def __str__(self):
        return f"{self.program} W{self.week} {self.name}"


class ProgramPrescription(PrescriptionFields):
    session = models.ForeignKey(
        ProgramSession, on_delete=models.CASCADE, related_name="prescriptions"
    )

    class Meta(PrescriptionFields.Meta):
        pass

    def __str__(self):
        return f"{self.session}: {self.exercise}"
