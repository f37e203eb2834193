"""The care pathway: intake, classification, plan, check-ins and reimbursement.

Pure, table-driven rules (no web, database or file I/O): every conclusion carries its reasons,
the answers that led to it and its sources. See ``docs/pathway.md``.

Typical use::

    answers = answers_from_mapping(form_data)      # or IntakeAnswers(...)
    plan = build_plan(answers, start_date)          # classification, programmes, schedule
    result = evaluate_checkin(CheckinAnswers(...))  # continue / physio / GP / seek care now
"""

from pelvio.pathway.checkin import (
    CHECKIN_NOTE_RULES,
    CHECKIN_OUTCOMES,
    CHECKIN_RULES,
    CheckinAnswers,
    CheckinOutcome,
    CheckinResult,
    DiarySummary,
    Progress,
    assess_progress,
    evaluate_checkin,
)
from pelvio.pathway.explain import checkin_to_dict, explain, explain_text, plan_to_dict
from pelvio.pathway.intake import (
    QUESTIONS,
    IntakeAnswers,
    Option,
    Question,
    answers_from_form,
    answers_from_mapping,
    answers_to_mapping,
)
from pelvio.pathway.plan import (
    DEFAULT_REMINDER_TIMES,
    Advice,
    CheckinPoint,
    Classification,
    Finding,
    Plan,
    PlannedProgramme,
    Reminder,
    RuleHit,
    build_plan,
    classify,
)
from pelvio.pathway.reimbursement import REGISTRATION_FACTS, Statement, reimbursement
from pelvio.pathway.rules import (
    ADVICE_RULES,
    ALL_RULES,
    CLASSIFICATION_RULES,
    CONDITIONS,
    PROGRAMME_IDS,
    PROGRAMME_RULES,
    SAFETY_RULES,
    SEEK_CARE_TEXT,
)
from pelvio.pathway.sources import SOURCES, Source, Text

__all__ = [
    "ADVICE_RULES",
    "ALL_RULES",
    "CHECKIN_NOTE_RULES",
    "CHECKIN_OUTCOMES",
    "CHECKIN_RULES",
    "CLASSIFICATION_RULES",
    "CONDITIONS",
    "DEFAULT_REMINDER_TIMES",
    "PROGRAMME_IDS",
    "PROGRAMME_RULES",
    "QUESTIONS",
    "REGISTRATION_FACTS",
    "SAFETY_RULES",
    "SEEK_CARE_TEXT",
    "SOURCES",
    "Advice",
    "CheckinAnswers",
    "CheckinOutcome",
    "CheckinPoint",
    "CheckinResult",
    "Classification",
    "DiarySummary",
    "Finding",
    "IntakeAnswers",
    "Option",
    "Plan",
    "PlannedProgramme",
    "Progress",
    "Question",
    "Reminder",
    "RuleHit",
    "Source",
    "Statement",
    "Text",
    "answers_from_form",
    "answers_from_mapping",
    "answers_to_mapping",
    "assess_progress",
    "build_plan",
    "checkin_to_dict",
    "classify",
    "evaluate_checkin",
    "explain",
    "explain_text",
    "plan_to_dict",
    "reimbursement",
]
