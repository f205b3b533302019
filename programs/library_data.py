"""The shared library as plain data: every exercise the article names, and its Day A and Day B.

Source: shared/seed/strength-for-5k.txt ("Running Cross-Training: Strength Workouts to Improve
Your 5K Time"). `programs.services.library_load` creates these rows, for `load_demo` and for the
tests, so Day A and Day B are written down once; the admin's CSV import and export use the same
exercise fields (EXERCISE_FIELDS), so a file exported from the admin can seed another site.
Where the article offers a choice ("back squat or goblet squat") the template uses the first
name and the cue names the alternative; both exercises are in the library.
"""

# The exercise columns an admin imports and exports, in file order. `name` is the natural key.
EXERCISE_FIELDS = (
    "name",
    "category",
    "pattern",
    "is_unilateral",
    "measure",
    "equipment",
    "cues",
    "video_url",
    "status",
)

EXERCISES = [
    # Warm-up drills (Day A: hip swings, skip drills, ankle flicks; Day B: dynamic mobility and
    # single-leg balance drills).
    {
        "name": "Hip swings",
        "category": "mobility",
        "pattern": "mobility",
        "is_unilateral": True,
        "measure": "reps",
        "equipment": "Wall or rail for balance",
        "cues": "Swing the leg front to back, then side to side; tall trunk, relaxed hips.",
    },
    {
        "name": "Skip drills",
        "category": "mobility",
        "pattern": "drill",
        "is_unilateral": False,
        "measure": "time",
        "equipment": "",
        "cues": "A-skips: knee up, foot lands under the hip, quick and light off the ground.",
    },
    {
        "name": "Ankle flicks",
        "category": "mobility",
        "pattern": "drill",
        "is_unilateral": False,
        "measure": "time",
        "equipment": "",
        "cues": "Small, fast steps on stiff ankles; the foot flicks the ground and springs back.",
    },
    {
        "name": "Dynamic mobility",
        "category": "mobility",
        "pattern": "mobility",
        "is_unilateral": False,
        "measure": "time",
        "equipment": "",
        "cues": "Leg swings, walking lunges with a reach, hip circles: keep moving, no holds.",
    },
    {
        "name": "Single-leg balance drills",
        "category": "mobility",
        "pattern": "balance",
        "is_unilateral": True,
        "measure": "time",
        "equipment": "",
        "cues": "Stand on one leg, knee soft, hips level; reach or close the eyes to progress.",
    },
    # Day A: strength and power.
    {
        "name": "Back squat",
        "category": "strength",
        "pattern": "squat",
        "is_unilateral": False,
        "measure": "reps",
        "equipment": "Barbell, rack",
        "cues": "Brace, sit between the hips, knees track the toes; drive up fast.",
    },
    {
        "name": "Goblet squat",
        "category": "strength",
        "pattern": "squat",
        "is_unilateral": False,
        "measure": "reps",
        "equipment": "Dumbbell or kettlebell",
        "cues": "Hold the weight at the chest, elbows inside the knees; chest up, drive up fast.",
    },
    {
        "name": "Romanian deadlift",
        "category": "strength",
        "pattern": "hinge",
        "is_unilateral": False,
        "measure": "reps",
        "equipment": "Barbell or dumbbells",
        "cues": "Push the hips back with soft knees, bar close to the legs, flat back.",
    },
    {
        "name": "Box jumps",
        "category": "power",
        "pattern": "jump",
        "is_unilateral": False,
        "measure": "reps",
        "equipment": "Plyo box",
        "cues": "Jump up explosively, land softly; step down, reset, jump again.",
    },
    {
        "name": "Squat jumps",
        "category": "power",
        "pattern": "jump",
        "is_unilateral": False,
        "measure": "reps",
        "equipment": "",
        "cues": "Quarter-squat dip and jump as high as you can; spend little time on the ground.",
    },
    {
        "name": "Side plank",
        "category": "core",
        "pattern": "anti_lateral",
        "is_unilateral": True,
        "measure": "time",
        "equipment": "Mat",
        "cues": "Elbow under the shoulder, body in one straight line, hips high.",
    },
    # Day B: endurance and stability.
    {
        "name": "Split squat",
        "category": "strength",
        "pattern": "lunge",
        "is_unilateral": True,
        "measure": "reps",
        "equipment": "Dumbbells (optional)",
        "cues": "Long stance, back knee straight down toward the floor, front heel planted.",
    },
    {
        "name": "Bulgarian split squat",
        "category": "strength",
        "pattern": "lunge",
        "is_unilateral": True,
        "measure": "reps",
        "equipment": "Bench, dumbbells (optional)",
        "cues": "Rear foot on a bench, front knee over the foot; lower under control.",
    },
    {
        "name": "Single-leg Romanian deadlift",
        "category": "strength",
        "pattern": "hinge",
        "is_unilateral": True,
        "measure": "reps",
        "equipment": "Dumbbell or kettlebell",
        "cues": "Hinge on one leg, hips square to the floor, back leg long behind you.",
    },
    {
        "name": "Calf raises",
        "category": "strength",
        "pattern": "calf",
        "is_unilateral": False,
        "measure": "reps",
        "equipment": "Step, dumbbells (optional)",
        "cues": "Full range: heels below the step, rise high onto the big toe, lower slowly.",
    },
    {
        "name": "Pallof press",
        "category": "core",
        "pattern": "anti_rotation",
        "is_unilateral": True,
        "measure": "reps",
        "equipment": "Cable or resistance band",
        "cues": "Side-on to the anchor, press the handle straight out and resist the twist.",
    },
]


def _prescription(exercise, block, sets, **values):
    """A prescription row as data; unspecified fields take the model's defaults."""
    return {"exercise": exercise, "block": block, "sets": sets, **values}


# Day A: "heavy-ish sets with low reps and explosive work" (30 minutes). The article gives no
# dose for the warm-up drills; these are short, as a 30-minute session needs.
DAY_A = {
    "name": "Day A — Strength & power",
    "description": "Heavy-ish sets with low reps and explosive work.",
    "target_minutes": 30,
    "prescriptions": [
        _prescription("Hip swings", "warmup", 1, reps_min=10, per_side=True, rest_seconds=0),
        _prescription("Skip drills", "warmup", 1, hold_seconds=30, rest_seconds=0),
        _prescription("Ankle flicks", "warmup", 1, hold_seconds=30, rest_seconds=0),
        _prescription(
            "Back squat",
            "main",
            4,
            reps_min=4,
            reps_max=6,
            load_kind="words",
            load_text="moderate-heavy",
            rest_seconds=90,
            cue="Or goblet squat. Drive up fast out of the bottom.",
        ),
        _prescription("Romanian deadlift", "main", 3, reps_min=6, reps_max=8, rest_seconds=60),
        _prescription(
            "Box jumps",
            "main",
            5,
            reps_min=3,
            reps_max=5,
            rest_seconds=45,
            cue="Minimal ground contact time: spring off the floor. Or squat jumps.",
        ),
        _prescription("Side plank", "core", 3, hold_seconds=30, per_side=True, rest_seconds=15),
    ],
}

# Day B: "higher reps, unilateral work, and core stability" (30 minutes).
DAY_B = {
    "name": "Day B — Endurance & stability",
    "description": "Higher reps, unilateral work, and core stability.",
    "target_minutes": 30,
    "prescriptions": [
        _prescription("Dynamic mobility", "warmup", 1, hold_seconds=300, rest_seconds=0),
        _prescription(
            "Single-leg balance drills", "warmup", 1, hold_seconds=30, per_side=True, rest_seconds=0
        ),
        _prescription(
            "Bulgarian split squat",
            "main",
            3,
            reps_min=8,
            reps_max=12,
            per_side=True,
            rest_seconds=45,
            cue="Or split squat with the rear foot on the floor.",
        ),
        _prescription(
            "Single-leg Romanian deadlift",
            "main",
            3,
            reps_min=8,
            per_side=True,
            rest_seconds=30,
            cue="For balance and posterior chain endurance.",
        ),
        _prescription("Calf raises", "main", 4, reps_min=12, reps_max=15, rest_seconds=30),
        _prescription(
            "Pallof press",
            "core",
            3,
            reps_min=10,
            per_side=True,
            rest_seconds=15,
            cue="Core and anti-rotation: the trunk stays square to the front.",
        ),
    ],
}

LIBRARY_TEMPLATES = [DAY_A, DAY_B]
