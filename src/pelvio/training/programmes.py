"""The five home programmes, written down as data.

Dosages come from the leaflets in ``seeds/`` and the guideline named per programme
(clinical.md §1). Where a source leaves a number open, the value chosen here is marked
"our choice" and explained in ``docs/training.md``. All cue texts are our own words.

One count ("tel") is taken as one second.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from pelvio._check import check_option
from pelvio.training.model import (
    Block,
    Bound,
    Level,
    Position,
    Programme,
    Pulse,
    Step,
    Text,
)

__all__ = ["PROGRAMMES", "PROGRAMME_IDS", "get_programme"]

_SRC_001: Final = (
    "leaflet 001 (thuisarts.nl, NHG: Ik ga bekkenbodemoefeningen doen); clinical.md §1"
)
_SRC_002: Final = "leaflet 002 (UZ Leuven brochure 700525, 2022); clinical.md §1"
_SRC_BO: Final = "Bø, BMC Women's Health 2022, table 5; clinical.md §1"
_SRC_004: Final = "leaflet 004 (Kegel variations); clinical.md §1"
_SRC_003_004: Final = "leaflets 003 and 004 (relaxation for an overactive floor); clinical.md §1"
_SRC_M46: Final = "NHG-Standaard M46 Incontinentie voor urine bij vrouwen (2015); clinical.md §1"

_POSITION_NL: Final[dict[Position, str]] = {
    "lying-back-knees-bent": "op je rug met gebogen knieën",
    "side-lying": "op je zij",
    "sitting": "zittend",
    "standing": "staand",
    "during-activity": "tijdens je bezigheden",
    "any": "waar je bent",
}
_POSITION_EN: Final[dict[Position, str]] = {
    "lying-back-knees-bent": "on your back with knees bent",
    "side-lying": "on your side",
    "sitting": "sitting",
    "standing": "standing",
    "during-activity": "during daily activities",
    "any": "wherever you are",
}


def _let_go(position: Position, seconds: int | None = None) -> Step:
    if seconds is None:
        return Step("relax", 1, 0.0, position, Text("Los.", "Let go."))
    return Step(
        "relax",
        seconds,
        0.0,
        position,
        Text(f"Laat {seconds} tellen helemaal los.", f"Let go completely for {seconds} counts."),
    )


# --- basis: leaflet 001 -------------------------------------------------------------------------

# Leaflet 001 fixes the dosage (6 counts squeeze, 6 counts relax, 10 times, 3 times a day) and
# progresses by position only: lying first, later sitting, standing and during the day.
_BASIS_POSITIONS: Final[tuple[tuple[Position, Text], ...]] = (
    (
        "lying-back-knees-bent",
        Text(
            "Je begint op je rug met gebogen knieën en een hand op je buik. Zo voel je of je buik "
            "los blijft. (Bron: folder 001)",
            "You start on your back with knees bent and a hand on your belly. That way you feel "
            "whether your belly stays loose. (Source: leaflet 001)",
        ),
    ),
    (
        "sitting",
        Text(
            "Het lukt goed in lig. Nu oefen je zittend. Het aantal en de tellen blijven gelijk. "
            "(Bron: folder 001)",
            "It goes well lying down. Now you practise sitting. The number and the counts stay "
            "the same. (Source: leaflet 001)",
        ),
    ),
    (
        "standing",
        Text(
            "Het lukt goed zittend. Nu oefen je staand. (Bron: folder 001)",
            "It goes well sitting. Now you practise standing. (Source: leaflet 001)",
        ),
    ),
    (
        "during-activity",
        Text(
            "Het lukt goed staand. Nu oefen je tijdens je bezigheden, bijvoorbeeld bij het "
            "tandenpoetsen. Zo wordt het een gewoonte. (Bron: folder 001)",
            "It goes well standing. Now you practise during daily tasks, for example while "
            "brushing your teeth. That makes it a habit. (Source: leaflet 001)",
        ),
    ),
)

# Our choice for "a few extra squeezes": two 1 s peaks to full effort, at 2 s and 4 s of the
# 6 s hold, on a plateau of 0.8.
_BASIS_PULSES: Final = (Pulse(2.0, 1.0, 1.0), Pulse(4.0, 1.0, 1.0))


def _basis_level(number: int, position: Position, change: Text) -> Level:
    squeeze = Step(
        "contract",
        6,
        0.8,
        position,
        Text(
            "Knijp je bekkenbodem stevig aan en houd vast. Knijp twee keer extra hard. "
            "Adem rustig door.",
            "Squeeze your pelvic floor firmly and hold. Squeeze extra hard twice. "
            "Keep breathing calmly.",
        ),
        pulses=_BASIS_PULSES,
    )
    relax = Step(
        "relax",
        6,
        0.0,
        position,
        Text(
            "Laat helemaal los. Voel de spieren zacht worden.",
            "Let go fully. Feel the muscles soften.",
        ),
    )
    return Level(number, (Block("squeeze", (squeeze, relax), repetitions=10),), change)


BASIS: Final = Programme(
    id="basis",
    title=Text("Basisoefening bekkenbodem", "Basic pelvic floor exercise"),
    source=_SRC_001,
    sessions_per_day=3,
    kind="session",
    strengthening=True,
    levels=tuple(
        _basis_level(number, position, change)
        for number, (position, change) in enumerate(_BASIS_POSITIONS, start=1)
    ),
    bounds=(
        Bound("squeeze", "hold_s", 6, 6, _SRC_001),
        Bound("squeeze", "relax_s", 6, 6, _SRC_001),
        Bound("squeeze", "repetitions", 10, 10, _SRC_001),
    ),
)


# --- kracht-uithouding-coordinatie: leaflet 002, Bø 2022 ----------------------------------------

# (endurance hold in s, strength repetitions, position). Holds grow one count per level from 3
# to 10 (leaflet 002); the strength series grows from 10 (leaflet 002) to 12, the top of Bø's
# 8-12 (table 5). Positions follow leaflet 002: lying, side-lying, sitting, standing.
_KUC_LEVELS: Final[tuple[tuple[int, int, Position], ...]] = (
    (3, 10, "lying-back-knees-bent"),
    (4, 10, "lying-back-knees-bent"),
    (5, 10, "side-lying"),
    (6, 10, "side-lying"),
    (7, 12, "sitting"),
    (8, 12, "sitting"),
    (9, 12, "standing"),
    (10, 12, "standing"),
)


def _kuc_change(index: int) -> Text:
    hold_s, reps, position = _KUC_LEVELS[index]
    if index == 0:
        return Text(
            f"Je begint met 10 keer kort en krachtig knijpen, en 10 keer {hold_s} tellen "
            f"vasthouden met 20 tellen rust. Je ligt {_POSITION_NL[position]}. (Bron: folder 002)",
            f"You start with 10 short strong squeezes, and 10 holds of {hold_s} counts with "
            f"20 counts of rest. You lie {_POSITION_EN[position]}. (Source: leaflet 002)",
        )
    prev_hold, prev_reps, prev_position = _KUC_LEVELS[index - 1]
    nl = [f"Vasthouden duurt nu {hold_s} tellen in plaats van {prev_hold}."]
    en = [f"Each hold now lasts {hold_s} counts instead of {prev_hold}."]
    if reps != prev_reps:
        nl.append(f"Je knijpt nu {reps} keer krachtig in plaats van {prev_reps}.")
        en.append(f"You now do {reps} strong squeezes instead of {prev_reps}.")
    if position != prev_position:
        nl.append(f"Je oefent nu {_POSITION_NL[position]}.")
        en.append(f"You now practise {_POSITION_EN[position]}.")
    nl.append(
        "Het maximum is 10 tellen vasthouden en 12 keer krachtig knijpen. "
        "(Bron: folder 002; Bø 2022)"
    )
    en.append("The top is a 10-count hold and 12 strong squeezes. (Source: leaflet 002; Bø 2022)")
    return Text(" ".join(nl), " ".join(en))


def _kuc_level(index: int) -> Level:
    hold_s, reps, position = _KUC_LEVELS[index]
    strength = Block(
        "strength",
        (
            # Our choice: a 2 s near-maximal squeeze, then twice as long to let go ("take
            # enough time to relax", leaflet 002).
            Step(
                "contract",
                2,
                1.0,
                position,
                Text(
                    "Knijp zo stevig als je kan. Sluit en til naar binnen, alsof je een wind "
                    "tegenhoudt.",
                    "Squeeze as hard as you can. Close and lift inwards, as if holding back wind.",
                ),
            ),
            Step(
                "relax",
                4,
                0.0,
                position,
                Text("Laat rustig helemaal los.", "Let go slowly and fully."),
            ),
        ),
        repetitions=reps,
    )
    endurance = Block(
        "endurance",
        (
            Step(
                "contract",
                hold_s,
                0.6,
                position,
                Text(
                    f"Knijp en houd {hold_s} tellen vast. Adem rustig door.",
                    f"Squeeze and hold for {hold_s} counts. Keep breathing.",
                ),
            ),
            Step(
                "rest",
                20,
                0.0,
                position,
                Text(
                    "Rust. Laat alles los en adem rustig.",
                    "Rest. Let everything go and breathe calmly.",
                ),
            ),
        ),
        repetitions=10,
    )
    coordination = Block(
        "coordination",
        (
            Step(
                "knack",
                3,
                0.8,
                position,
                Text(
                    "Knijp eerst je bekkenbodem aan. Hoest dan kort en blijf knijpen.",
                    "Squeeze your pelvic floor first. Then cough once and keep squeezing.",
                ),
            ),
            Step(
                "relax",
                5,
                0.0,
                position,
                Text(
                    "Laat los. Doe dit ook als je hoest, niest, lacht of tilt.",
                    "Let go. Do this too when you cough, sneeze, laugh or lift.",
                ),
            ),
        ),
        repetitions=2,
    )
    return Level(index + 1, (strength, endurance, coordination), _kuc_change(index))


KRACHT_UITHOUDING_COORDINATIE: Final = Programme(
    id="kracht-uithouding-coordinatie",
    title=Text("Kracht, uithouding en coördinatie", "Strength, endurance and coordination"),
    source=f"{_SRC_002}; {_SRC_BO}",
    sessions_per_day=3,
    kind="session",
    strengthening=True,
    levels=tuple(_kuc_level(index) for index in range(len(_KUC_LEVELS))),
    bounds=(
        Bound("strength", "repetitions", 8, 12, _SRC_BO),
        Bound("endurance", "hold_s", 3, 10, _SRC_002),
        Bound("endurance", "rest_s", 20, 20, _SRC_002),
        Bound("endurance", "repetitions", 10, 10, _SRC_002),
    ),
)


# --- kegel-varianten: leaflet 004 ---------------------------------------------------------------

# (hold in s, position): holds of 3-5 s; start lying or sitting, build up to standing and
# movement (leaflet 004). Relax is always twice the hold.
_KEGEL_LEVELS: Final[tuple[tuple[int, Position], ...]] = (
    (3, "lying-back-knees-bent"),
    (4, "sitting"),
    (5, "sitting"),
    (5, "standing"),
    (5, "during-activity"),
)


def _kegel_change(index: int) -> Text:
    hold_s, position = _KEGEL_LEVELS[index]
    if index == 0:
        return Text(
            f"Je begint met ademen, daarna {hold_s} tellen knijpen en {2 * hold_s} tellen los, "
            f"afgewisseld met snelle knijpjes. Je ligt {_POSITION_NL[position]}. "
            "(Bron: artikel 004)",
            f"You start with breathing, then squeeze {hold_s} counts and let go {2 * hold_s}, "
            f"mixed with quick squeezes. You lie {_POSITION_EN[position]}. (Source: article 004)",
        )
    prev_hold, prev_position = _KEGEL_LEVELS[index - 1]
    nl, en = [], []
    if hold_s != prev_hold:
        nl.append(
            f"Vasthouden duurt nu {hold_s} tellen; loslaten {2 * hold_s} tellen, twee keer zo lang."
        )
        en.append(f"Each hold now lasts {hold_s} counts; letting go {2 * hold_s}, twice as long.")
    if position != prev_position:
        nl.append(f"Je oefent nu {_POSITION_NL[position]}.")
        en.append(f"You now practise {_POSITION_EN[position]}.")
    nl.append("Het maximum is 5 tellen. (Bron: artikel 004)")
    en.append("The top is 5 counts. (Source: article 004)")
    return Text(" ".join(nl), " ".join(en))


def _kegel_level(index: int) -> Level:
    hold_s, position = _KEGEL_LEVELS[index]
    breathing = Block(
        "breathing",
        (
            Step(
                "breathe",
                4,
                0.0,
                position,
                Text(
                    "Adem in naar je buik en flanken. Je bekkenbodem zakt een beetje.",
                    "Breathe in to your belly and sides. Your pelvic floor drops a little.",
                ),
            ),
            Step(
                "breathe", 6, 0.0, position, Text("Adem rustig en lang uit.", "Breathe out slowly.")
            ),
        ),
        repetitions=3,
    )
    quick = Step("quick", 1, 1.0, position, Text("Snel knijpen!", "Quick squeeze!"))
    short_let_go = Step("relax", 2, 0.0, position, Text("Los.", "Let go."))
    holds = Block(
        "holds",
        (
            Step(
                "contract",
                hold_s,
                0.7,
                position,
                Text(
                    f"Knijp en til op, alsof je een wind tegenhoudt. Houd {hold_s} tellen vast. "
                    "Billen en buik blijven los.",
                    f"Squeeze and lift, as if holding back wind. Hold for {hold_s} counts. "
                    "Keep buttocks and belly loose.",
                ),
            ),
            _let_go(position, 2 * hold_s),
            quick,
            short_let_go,
            quick,
            short_let_go,
            quick,
            short_let_go,
        ),
        # Our choice: 5 rounds keep a session at 2 to 2.5 minutes.
        repetitions=5,
    )
    return Level(index + 1, (breathing, holds), _kegel_change(index))


KEGEL_VARIANTEN: Final = Programme(
    id="kegel-varianten",
    title=Text("Kegel-varianten", "Kegel variations"),
    source=_SRC_004,
    sessions_per_day=3,
    kind="session",
    strengthening=True,
    levels=tuple(_kegel_level(index) for index in range(len(_KEGEL_LEVELS))),
    bounds=(
        Bound("holds", "hold_s", 3, 5, _SRC_004),
        Bound("holds", "relax_s", 6, 10, _SRC_004),
    ),
)


# --- ontspanning: leaflets 003 and 004 ----------------------------------------------------------

# (out-breath in s, position): a longer out-breath by a few counts (leaflet 004), from lying to
# sitting to standing. No squeezes at any level: the programme is for a floor that is too tense.
_RELAX_LEVELS: Final[tuple[tuple[int, Position], ...]] = (
    (6, "lying-back-knees-bent"),
    (7, "sitting"),
    (8, "standing"),
)


def _relax_change(index: int) -> Text:
    out_s, position = _RELAX_LEVELS[index]
    if index == 0:
        return Text(
            f"Je begint op je rug. Je ademt 4 tellen in en {out_s} tellen uit. Je knijpt niet: "
            "het doel is loslaten. (Bron: folders 003 en 004)",
            f"You start on your back. You breathe in for 4 counts and out for {out_s}. You do "
            "not squeeze: the aim is to let go. (Source: leaflets 003 and 004)",
        )
    return Text(
        f"Je ademt nu {out_s} tellen uit en oefent {_POSITION_NL[position]}. Het blijft "
        "loslaten, zonder knijpen. (Bron: artikel 004)",
        f"You now breathe out for {out_s} counts and practise {_POSITION_EN[position]}. It is "
        "still about letting go, without squeezing. (Source: article 004)",
    )


def _relax_level(index: int) -> Level:
    out_s, position = _RELAX_LEVELS[index]
    arrive = Block(
        "arrive",
        (
            Step(
                "relax",
                10,
                0.0,
                position,
                Text(
                    "Maak het je gemakkelijk. Laat je kaak, schouders en buik zacht worden.",
                    "Get comfortable. Let your jaw, shoulders and belly go soft.",
                ),
            ),
        ),
    )
    breathing = Block(
        "breathing",
        (
            Step(
                "breathe",
                4,
                0.0,
                position,
                Text(
                    "Adem rustig in door je neus. Ribben en buik worden breed. Je bekkenbodem "
                    "zakt mee.",
                    "Breathe in gently through your nose. Ribs and belly widen. Your pelvic "
                    "floor drops with it.",
                ),
            ),
            Step(
                "breathe",
                out_s,
                0.0,
                position,
                Text(
                    "Adem langzaam uit, langer dan je inademt. Blijf los.",
                    "Breathe out slowly, longer than you breathed in. Stay loose.",
                ),
            ),
        ),
        repetitions=10,
    )
    let_go = Block(
        "let-go",
        (
            Step(
                "relax",
                15,
                0.0,
                position,
                Text(
                    "Voel je billen, buik en bekkenbodem. Laat nog iets meer los.",
                    "Notice your buttocks, belly and pelvic floor. Let go a little more.",
                ),
            ),
        ),
    )
    return Level(index + 1, (arrive, breathing, let_go), _relax_change(index))


ONTSPANNING: Final = Programme(
    id="ontspanning",
    title=Text("Ontspanning en ademhaling", "Relaxation and breathing"),
    source=_SRC_003_004,
    sessions_per_day=3,
    kind="session",
    strengthening=False,
    levels=tuple(_relax_level(index) for index in range(len(_RELAX_LEVELS))),
)


# --- blaastraining: NHG M46 ---------------------------------------------------------------------

# The schedule itself (voiding intervals that grow week by week) lives in
# pelvio.training.bladder. The one level here is the routine to use when an urge comes early:
# stand still, a few quick squeezes, slow breathing, distraction, wait for the urge to fade.
_URGE: Final[Position] = "any"


def _urge_rest(seconds: int, nl: str, en: str) -> Step:
    return Step("rest", seconds, 0.0, _URGE, Text(nl, en))


_URGE_ROUTINE: Final = Level(
    1,
    (
        Block(
            "stop",
            (
                _urge_rest(
                    10,
                    "Aandrang? Blijf staan of ga zitten. Haast je niet naar het toilet.",
                    "An urge? Stand still or sit down. Do not rush to the toilet.",
                ),
            ),
        ),
        Block(
            "quick",
            (Step("quick", 1, 1.0, _URGE, Text("Knijp snel.", "Squeeze quickly.")), _let_go(_URGE)),
            repetitions=5,
        ),
        Block(
            "breathing",
            (
                Step("breathe", 4, 0.0, _URGE, Text("Adem rustig in.", "Breathe in calmly.")),
                Step(
                    "breathe",
                    6,
                    0.0,
                    _URGE,
                    Text(
                        "Adem langzaam uit. De aandrang mag er even zijn.",
                        "Breathe out slowly. The urge may be there for a while.",
                    ),
                ),
            ),
            repetitions=3,
        ),
        Block(
            "distract",
            (
                _urge_rest(
                    30,
                    "Denk aan iets anders. Tel bijvoorbeeld terug van 100 in stappen van 7.",
                    "Think of something else. For example, count back from 100 in steps of 7.",
                ),
            ),
        ),
        Block(
            "wait",
            (
                _urge_rest(
                    30,
                    "Wacht tot de aandrang zakt. Is het nog geen tijd volgens je schema? Ga dan "
                    "verder met wat je deed.",
                    "Wait until the urge fades. Not yet time on your schedule? Then carry on "
                    "with what you were doing.",
                ),
            ),
        ),
    ),
    Text(
        "Je plast op vaste tijden. De tijd ertussen wordt elke week iets langer. Komt er eerder "
        "aandrang, dan doe je deze stappen. (Bron: NHG-Standaard M46)",
        "You pass urine at set times. The time in between grows a little every week. If an "
        "urge comes earlier, you do these steps. (Source: NHG guideline M46)",
    ),
)

BLAASTRAINING: Final = Programme(
    id="blaastraining",
    title=Text("Blaastraining", "Bladder training"),
    source=_SRC_M46,
    sessions_per_day=0,
    kind="schedule",
    strengthening=True,
    levels=(_URGE_ROUTINE,),
)


PROGRAMMES: Final = MappingProxyType(
    {
        programme.id: programme
        for programme in (
            BASIS,
            KRACHT_UITHOUDING_COORDINATIE,
            KEGEL_VARIANTEN,
            ONTSPANNING,
            BLAASTRAINING,
        )
    }
)
"""Every programme by id, in the order a list shows them."""

PROGRAMME_IDS: Final[tuple[str, ...]] = tuple(PROGRAMMES)


def get_programme(programme_id: str) -> Programme:
    """The programme with id ``programme_id``; raises listing the valid ids if unknown."""
    check_option("programme", programme_id, PROGRAMME_IDS)
    return PROGRAMMES[programme_id]
