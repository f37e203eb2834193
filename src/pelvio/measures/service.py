"""Storing questionnaire responses with their exact scores, and what is due when.

The scoring is :func:`pelvio.measures.score`; this module stores the answers, the exact total
and subscales as fractions in text (``"925/24"``) and reads them back unchanged.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from pelvio._check import check_uuid
from pelvio.accounts.tables import User
from pelvio.db import insert_once, utcnow
from pelvio.errors import ConflictError, InputError, NotFoundError
from pelvio.measures.instruments import INSTRUMENTS, Instrument, get_instrument
from pelvio.measures.scoring import ScoreResult, score
from pelvio.measures.tables import QuestionnaireResponse

__all__ = [
    "CHECKIN_DAYS",
    "DUE_INSTRUMENTS",
    "TrendPoint",
    "due",
    "get_response",
    "responses",
    "result_of",
    "save_response",
    "total_of",
    "trend",
]

CHECKIN_DAYS: Final = (0, 14, 42, 91)
"""Days after the first questionnaire when the next ones are due: baseline, 2 weeks, 6 weeks
and 3 months (the check-ins of the care pathway, leaflet 001; 3 months taken as 13 weeks)."""

DUE_INSTRUMENTS: Final[dict[str, tuple[str, tuple[int, ...]]]] = {
    # instrument: (the instrument whose first response starts its clock, days after that)
    "iciq-ui-sf": ("iciq-ui-sf", CHECKIN_DAYS),
    "pgi-i": ("iciq-ui-sf", CHECKIN_DAYS[1:]),  # a change since the start means nothing at it
    "wexner": ("wexner", CHECKIN_DAYS),
}
_EARLY_DAYS: Final = 3


def _text(value: Fraction | None) -> str | None:
    return None if value is None else str(value)


def save_response(
    db: Session,
    *,
    patient: User,
    instrument: str,
    answers: Mapping[str, int | None],
    client_id: str,
    completed_at: dt.datetime | None = None,
) -> tuple[QuestionnaireResponse, ScoreResult, bool]:
    """Score ``answers`` and store them with the exact score in one commit.

    Returns the row, the score and whether the row is new: the same ``client_id`` again (a
    form sent twice) returns the stored response. Answers that allow no total (the
    instrument's missing-answer rule) are refused, naming the first unanswered item.
    """
    definition = get_instrument(instrument)
    key = check_uuid("client_id", client_id)
    result = score(definition, answers)
    if result.total is None:
        missing = ", ".join(result.unanswered)
        raise InputError(
            f"{definition.key} gives no total with these answers; answer {missing}",
            field=result.unanswered[0] if result.unanswered else None,
        )
    given = {item.key: answers.get(item.key) for item in definition.items}
    existing = _find(db, patient, key)
    if existing is not None:
        if existing.instrument != definition.key or existing.answers != given:
            raise ConflictError("this client_id was already used for other answers")
        return existing, result, False
    row = QuestionnaireResponse(
        patient_id=patient.id,
        client_id=key,
        instrument=definition.key,
        answers=given,
        total=_text(result.total),
        subscales={s.key: _text(s.value) for s in result.subscales},
        band=None if result.band is None else result.band.key,
        completed_at=completed_at or utcnow(),
    )
    stored, created = insert_once(db, row, lambda: _find(db, patient, key))
    return stored, result, created


def _find(db: Session, patient: User, client_id: str) -> QuestionnaireResponse | None:
    return db.scalar(
        select(QuestionnaireResponse).where(
            QuestionnaireResponse.patient_id == patient.id,
            QuestionnaireResponse.client_id == client_id,
        )
    )


def responses(
    db: Session, *, patient: User, instrument: str | None = None
) -> list[QuestionnaireResponse]:
    """The patient's responses, oldest first (of one instrument, if given)."""
    query = select(QuestionnaireResponse).where(QuestionnaireResponse.patient_id == patient.id)
    if instrument is not None:
        query = query.where(QuestionnaireResponse.instrument == get_instrument(instrument).key)
    return list(
        db.scalars(query.order_by(QuestionnaireResponse.completed_at, QuestionnaireResponse.id))
    )


def get_response(db: Session, *, patient: User, response_id: str) -> QuestionnaireResponse:
    """One response of ``patient``; :class:`NotFoundError` for anyone else's."""
    row = db.scalar(
        select(QuestionnaireResponse).where(
            QuestionnaireResponse.patient_id == patient.id,
            QuestionnaireResponse.public_id == response_id,
        )
    )
    if row is None:
        raise NotFoundError("no such questionnaire response")
    return row


def result_of(row: QuestionnaireResponse) -> ScoreResult:
    """The full score of a stored response (scored again from its answers).

    The stored total must equal the new one: scoring is exact, so a difference means the
    scoring rules changed since the response was stored, and that must not pass silently.
    """
    result = score(row.instrument, row.answers)
    if _text(result.total) != row.total:
        raise ConflictError(
            f"the stored total {row.total} of {row.instrument} differs from today's scoring "
            f"({result.total}); the scoring rules changed"
        )
    return result


def total_of(row: QuestionnaireResponse) -> Fraction | None:
    """The exact stored total."""
    return None if row.total is None else Fraction(row.total)


def due(db: Session, *, patient: User, today: dt.date, zone: dt.tzinfo) -> list[Instrument]:
    """The questionnaires due on ``today``: at the start, then at 2 weeks, 6 weeks and 3 months.

    Each clock starts at the first response of its anchor (ICIQ-UI SF for leaking, with PGI-I
    at the check-ins; Wexner for constipation). Someone who filled in nothing yet is asked for
    the ICIQ-UI SF. A check-in counts as done by a response from 3 days before its date on
    (Pelvio's choice: a little early is fine).
    """
    rows = responses(db, patient=patient)
    if not rows:
        return [INSTRUMENTS["iciq-ui-sf"]]
    first: dict[str, dt.date] = {}
    for row in rows:
        first.setdefault(row.instrument, row.completed_at.astimezone(zone).date())
    out = []
    for key, (anchor, days) in DUE_INSTRUMENTS.items():
        if anchor not in first:
            continue
        reached = [
            first[anchor] + dt.timedelta(days=d)
            for d in days
            if first[anchor] + dt.timedelta(days=d) <= today
        ]
        if not reached:
            continue
        since = reached[-1] - dt.timedelta(days=_EARLY_DAYS)
        done = [r.completed_at.astimezone(zone).date() for r in rows if r.instrument == key]
        if not any(day >= since for day in done):
            out.append(INSTRUMENTS[key])
    return out


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One response on a trend chart: when, the exact total, and where it is drawn (0–1)."""

    response_id: str
    day: dt.date
    total: Fraction
    x: float
    y: float


def trend(
    rows: Sequence[QuestionnaireResponse], *, instrument: Instrument, zone: dt.tzinfo
) -> list[TrendPoint]:
    """Totals over time, placed on a unit square: x by date, y from the lowest to the highest
    possible total (so charts of one instrument are comparable)."""
    scored = [(r, total_of(r)) for r in rows if r.total is not None]
    if not scored:
        return []
    first = scored[0][0].completed_at
    span_s = max((scored[-1][0].completed_at - first).total_seconds(), 1.0)
    low, high = instrument.total_low, instrument.total_high
    points = []
    for row, total in scored:
        assert total is not None
        x = 0.5 if len(scored) == 1 else (row.completed_at - first).total_seconds() / span_s
        points.append(
            TrendPoint(
                response_id=row.public_id,
                day=row.completed_at.astimezone(zone).date(),
                total=total,
                x=x,
                y=float((total - low) / (high - low)),
            )
        )
    return points
