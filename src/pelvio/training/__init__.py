"""Training: programmes as data, their timelines, progression, adherence and reminders.

Pure domain code (no web framework, no database, no file I/O except in ``library`` and
``cli``). The web session player and its storage build on this API:

* :data:`PROGRAMMES`, :func:`get_programme` - the five home programmes (clinical.md §1).
* :func:`build_timeline`, :func:`cue_at`, :func:`target_at`, :func:`programme_document` - a
  level as timed cues for the session player and biofeedback templates.
* :func:`assess_progression` - when to step up a level, with the reason in nl and en.
* :func:`count_adherence`, :func:`week_view`, :func:`local_date`, :func:`day_bounds` -
  sessions per local calendar day against the plan, streaks, the week Monday to Sunday.
* :func:`reminder_calendar` - the reminder times as an iCalendar feed.
* :func:`voiding_interval_min`, :func:`voiding_times` - the bladder-training schedule.
* :func:`screen_electrostimulation`, :func:`assign_electrostimulation` and the
  electrostimulation and balloon data model - therapist-prescribed modalities.
"""

from __future__ import annotations

from pelvio.training.adherence import (
    AdherenceReport,
    DayCount,
    DayStatus,
    SessionLogEntry,
    TrainingPlan,
    count_adherence,
    day_bounds,
    local_date,
    week_view,
)
from pelvio.training.bladder import (
    DEFAULT_VOIDING_SCHEDULE,
    VoidingSchedule,
    voiding_interval_min,
    voiding_times,
    weeks_to_target,
)
from pelvio.training.modalities import (
    CONTRAINDICATIONS,
    BalloonProtocol,
    BalloonStep,
    ContraindicationError,
    ElectrostimulationAssignment,
    ElectrostimulationParameters,
    ModalitySessionLog,
    ScreeningAnswers,
    ScreeningFinding,
    ScreeningResult,
    assign_electrostimulation,
    screen_electrostimulation,
)
from pelvio.training.model import (
    ACTIONS,
    POSITION_TEXT,
    POSITIONS,
    Action,
    Block,
    Bound,
    Level,
    Locale,
    Position,
    Programme,
    Pulse,
    Step,
    Text,
)
from pelvio.training.programmes import PROGRAMME_IDS, PROGRAMMES, get_programme
from pelvio.training.progression import (
    DEFAULT_PROGRESSION_RULE,
    ProgressionDecision,
    ProgressionRule,
    assess_progression,
)
from pelvio.training.reminders import DEFAULT_REMINDER_TIMES, reminder_calendar
from pelvio.training.timeline import (
    Cue,
    PulseCue,
    Timeline,
    build_timeline,
    cue_at,
    programme_document,
    target_at,
)

__all__ = [
    "ACTIONS",
    "CONTRAINDICATIONS",
    "DEFAULT_PROGRESSION_RULE",
    "DEFAULT_REMINDER_TIMES",
    "DEFAULT_VOIDING_SCHEDULE",
    "POSITIONS",
    "POSITION_TEXT",
    "PROGRAMMES",
    "PROGRAMME_IDS",
    "Action",
    "AdherenceReport",
    "BalloonProtocol",
    "BalloonStep",
    "Block",
    "Bound",
    "ContraindicationError",
    "Cue",
    "DayCount",
    "DayStatus",
    "ElectrostimulationAssignment",
    "ElectrostimulationParameters",
    "Level",
    "Locale",
    "ModalitySessionLog",
    "Position",
    "Programme",
    "ProgressionDecision",
    "ProgressionRule",
    "Pulse",
    "PulseCue",
    "ScreeningAnswers",
    "ScreeningFinding",
    "ScreeningResult",
    "SessionLogEntry",
    "Step",
    "Text",
    "Timeline",
    "TrainingPlan",
    "VoidingSchedule",
    "assess_progression",
    "assign_electrostimulation",
    "build_timeline",
    "count_adherence",
    "cue_at",
    "day_bounds",
    "get_programme",
    "local_date",
    "programme_document",
    "reminder_calendar",
    "screen_electrostimulation",
    "target_at",
    "voiding_interval_min",
    "voiding_times",
    "week_view",
    "weeks_to_target",
]
