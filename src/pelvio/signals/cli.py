"""``pelvio simulate`` and ``pelvio analyze``: the signal core on the command line.

``simulate`` writes a seeded, simulated recording (EDF+, with the protocol's annotations) and
optionally its ground truth as JSON; ``analyze`` reads an EDF+ file and prints the Glazer
metrics per phase and every contraction. With ``--json`` each prints one JSON document;
``analyze --json`` prints exactly :meth:`pelvio.signals.analysis.Analysis.to_dict`.

Option values are parsed here rather than by Typer, so that a bad value gets the one-line
``pelvio: error: ...`` of every Pelvio command, naming the flag and what it accepts.
Human-readable text is Dutch by default (``--lang en`` or ``PELVIO_LOCALE=en`` for English).
"""

from __future__ import annotations

import json
import math
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, Final, Literal

import typer

from pelvio.cliutil import JsonOption, emit
from pelvio.errors import InputError

if TYPE_CHECKING:
    from pelvio.signals.edf import Recording

__all__ = ["register", "render_analysis", "render_simulation"]

Lang = Literal["nl", "en"]

PROTOCOLS: Final = ("glazer",)
PROFILES: Final = ("healthy", "weak", "overactive", "fatigue")
KINDS: Final = ("emg", "pressure")
MAINS_HZ: Final = ("50", "60")
LANGS: Final = ("nl", "en")

LangOption = Annotated[
    str,
    typer.Option("--lang", envvar="PELVIO_LOCALE", help="Language of the text output: nl or en."),
]


def simulate(
    out: Annotated[
        str | None, typer.Option("--out", metavar="FILE.edf", help="EDF+ file to write.")
    ] = None,
    protocol: Annotated[str, typer.Option(help="Protocol to follow: glazer.")] = "glazer",
    profile: Annotated[
        str, typer.Option(help="Simulated muscle: healthy, weak, overactive or fatigue.")
    ] = "healthy",
    seed: Annotated[
        str | None,
        typer.Option(metavar="N", help="Whole number >= 0; the same seed gives the same file."),
    ] = None,
    sampling_rate: Annotated[
        str,
        typer.Option("--sampling-rate", metavar="HZ", help="Samples per second (EMG: >= 1000)."),
    ] = "2000",
    truth: Annotated[
        str | None,
        typer.Option(metavar="FILE.json", help="Also write the ground truth to this JSON file."),
    ] = None,
    kind: Annotated[str, typer.Option(help="Signal: emg (µV) or pressure (cmH2O).")] = "emg",
    abdominal: Annotated[
        bool,
        typer.Option(
            "--abdominal", help="Add a second channel: abdominal EMG or abdominal pressure."
        ),
    ] = False,
    mains: Annotated[str, typer.Option(help="Mains frequency of the hum: 50 or 60 Hz.")] = "50",
    as_json: JsonOption = False,
    lang: LangOption = "nl",
) -> None:
    """Write a simulated recording with its annotations (and ground truth) as EDF+."""
    request = _SimulateRequest.parse(
        out=out,
        protocol=protocol,
        profile=profile,
        seed=seed,
        sampling_rate=sampling_rate,
        truth=truth,
        kind=kind,
        mains=mains,
        abdominal=abdominal,
    )
    language = _lang(lang)
    summary = _run_simulation(request)
    emit(summary, as_json=as_json, human=lambda data: render_simulation(data, language))


def analyze(
    file: Annotated[
        str,
        typer.Argument(metavar="FILE.edf", help="EDF+ recording to analyse.", show_default=False),
    ],
    channel: Annotated[
        str | None,
        typer.Option(
            metavar="LABEL", help="Label of the channel to analyse (default: the first in µV)."
        ),
    ] = None,
    abdominal: Annotated[
        str | None,
        typer.Option(
            "--abdominal",
            metavar="LABEL",
            help="Pressure only: the abdominal pressure channel (default: a pressure channel "
            "whose label mentions 'abd').",
        ),
    ] = None,
    mains: Annotated[str, typer.Option(help="Mains frequency to notch: 50 or 60 Hz.")] = "50",
    lenient: Annotated[
        bool,
        typer.Option(
            "--lenient",
            help="Read the complete data records of a file that was not closed properly.",
        ),
    ] = False,
    as_json: JsonOption = False,
    lang: LangOption = "nl",
) -> None:
    """Analyse an EDF+ recording: Glazer metrics per phase and every contraction."""
    mains_hz = float(_option("--mains", mains, MAINS_HZ))
    language = _lang(lang)
    from pelvio.signals.edf import read_edf

    validation: Literal["strict", "lenient"] = "lenient" if lenient else "strict"
    recording = read_edf(file, channel=channel, validation=validation)
    notes = list(recording.notes)
    belly = _abdominal_channel(file, recording, abdominal, validation, notes)
    for note in notes:
        typer.echo(f"pelvio: note: {file}: {note}", err=True)
    from pelvio.signals.analysis import analyze as run_analysis

    result = run_analysis(
        recording.signal,
        recording.sampling_rate_hz,
        recording.annotations,
        kind=recording.kind,
        mains_hz=mains_hz,
        channel=recording.channel,
        abdominal=None if belly is None else belly.signal,
    )
    document = result.to_dict()
    emit(
        document,
        as_json=as_json,
        human=lambda data: render_analysis(data, language, source=file, recording=recording),
    )


def register(app: typer.Typer) -> None:
    """Add ``simulate`` and ``analyze`` to the command line."""
    app.command("simulate")(simulate)
    app.command("analyze")(analyze)


def _abdominal_channel(
    file: str,
    recording: Recording,
    label: str | None,
    validation: Literal["strict", "lenient"],
    notes: list[str],
) -> Recording | None:
    """The abdominal pressure channel that sets apart rises made with abdominal effort (§7)."""
    from pelvio.errors import FileFormatError
    from pelvio.signals.edf import read_edf

    if recording.kind != "pressure":
        if label is not None:
            raise InputError(
                f"--abdominal applies to pressure recordings; channel {recording.channel!r} is EMG",
                field="--abdominal",
            )
        return None
    if label is None:
        candidates = [
            info.label
            for info in recording.channels
            if info.kind == "pressure"
            and info.label != recording.channel
            and "abd" in info.label.casefold()
        ]
        if not candidates:
            return None
        label = candidates[0]
        notes.append(f"channel {label!r} used as the abdominal channel")
    belly = read_edf(file, channel=label, kind="pressure", validation=validation)
    if belly.sampling_rate_hz != recording.sampling_rate_hz or belly.signal.size != (
        recording.signal.size
    ):
        raise FileFormatError(
            f"abdominal channel {label!r} ({belly.sampling_rate_hz:g} Hz) must match "
            f"{recording.channel!r} ({recording.sampling_rate_hz:g} Hz) sample for sample",
            path=file,
        )
    return belly


# --- simulate ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _SimulateRequest:
    out: Path
    truth: Path | None
    protocol: str
    profile: str
    seed: int
    sampling_rate_hz: float
    kind: Literal["emg", "pressure"]
    mains_hz: float
    abdominal: bool

    @classmethod
    def parse(
        cls,
        *,
        out: str | None,
        protocol: str,
        profile: str,
        seed: str | None,
        sampling_rate: str,
        truth: str | None,
        kind: str,
        mains: str,
        abdominal: bool,
    ) -> _SimulateRequest:
        if out is None:
            raise InputError("--out FILE.edf is required: the file to write", field="--out")
        if Path(out).suffix.lower() != ".edf":
            raise InputError(f"--out must name an .edf file, got {out!r}", field="--out")
        if truth is not None and Path(truth).resolve() == Path(out).resolve():
            raise InputError("--truth must differ from --out", field="--truth")
        for path in (out, truth):
            # Checked before simulating, so a typo costs no waiting.
            if path is not None and not Path(path).parent.is_dir():
                raise InputError(
                    f"{path}: cannot write: the folder {Path(path).parent} does not exist"
                )
        chosen_kind = _option("--kind", kind, KINDS)
        rate = _number("--sampling-rate", sampling_rate)
        if chosen_kind == "emg" and rate < 1000:
            raise InputError(
                f"--sampling-rate must be at least 1000 Hz for EMG (the 20-450 Hz band needs "
                f"it); got {rate:g}",
                field="--sampling-rate",
            )
        if not rate > 0:
            raise InputError(f"--sampling-rate must be positive; got {rate:g}")
        # Without --seed one is drawn, and printed, so the file can be made again.
        chosen_seed = secrets.randbelow(2**31) if seed is None else _whole("--seed", seed)
        return cls(
            out=Path(out),
            truth=Path(truth) if truth is not None else None,
            protocol=_option("--protocol", protocol, PROTOCOLS),
            profile=_option("--profile", profile, PROFILES),
            seed=chosen_seed,
            sampling_rate_hz=rate,
            kind="emg" if chosen_kind == "emg" else "pressure",
            mains_hz=float(_option("--mains", mains, MAINS_HZ)),
            abdominal=abdominal,
        )


def _run_simulation(request: _SimulateRequest) -> dict[str, Any]:
    from pelvio.signals.edf import write_atomically, write_edf
    from pelvio.signals.simulate import emg_simulate, pressure_simulate

    if request.kind == "emg":
        simulation = emg_simulate(
            sampling_rate_hz=request.sampling_rate_hz,
            protocol=request.protocol,  # type: ignore[arg-type]
            profile=request.profile,  # type: ignore[arg-type]
            mains_hz=request.mains_hz,
            abdominal_channel=request.abdominal,
            seed=request.seed,
        )
    else:
        simulation = pressure_simulate(
            sampling_rate_hz=request.sampling_rate_hz,
            protocol=request.protocol,  # type: ignore[arg-type]
            profile=request.profile,  # type: ignore[arg-type]
            abdominal_channel=request.abdominal,
            seed=request.seed,
        )
    rows = [simulation.signal]
    # The pelvic floor channel goes first: readers take the first channel of a unit.
    labels = ["EMG" if request.kind == "emg" else "Pressure"]
    if simulation.abdominal is not None:
        rows.append(simulation.abdominal)
        labels.append("EMG abdominal" if request.kind == "emg" else "Abdominal press")
    write_edf(
        request.out,
        rows,
        simulation.sampling_rate_hz,
        simulation.annotations,
        unit=simulation.unit,
        labels=labels,
        equipment="Pelvio-simulator",
    )
    truth = simulation.truth_to_dict()
    if request.truth is not None:
        text = json.dumps(truth, ensure_ascii=False, indent=2, allow_nan=False) + "\n"

        def write_json(stream: BinaryIO) -> None:
            stream.write(text.encode("utf-8"))

        write_atomically(request.truth, write_json)
    phases = sum(1 for a in simulation.annotations if a.text in _PHASE_TEXT)
    return {
        "out": str(request.out),
        "truth": str(request.truth) if request.truth is not None else None,
        "kind": request.kind,
        "protocol": request.protocol,
        "profile": request.profile,
        "seed": request.seed,
        "sampling_rate_hz": simulation.sampling_rate_hz,
        "mains_hz": request.mains_hz if request.kind == "emg" else None,
        "unit": simulation.unit,
        "duration_s": simulation.signal.size / simulation.sampling_rate_hz,
        "channels": labels,
        "annotations": len(simulation.annotations),
        "phases": phases,
        "contractions": _count_contractions(truth),
    }


def _count_contractions(truth: Mapping[str, Any]) -> int | None:
    contractions = truth.get("contractions")
    return len(contractions) if isinstance(contractions, Sequence) else None


def render_simulation(data: Mapping[str, Any], lang: Lang) -> str:
    """The one-paragraph summary of ``pelvio simulate``."""
    nl = lang == "nl"
    what = {
        ("emg", True): "gesimuleerde oppervlakte-EMG",
        ("emg", False): "simulated surface EMG",
        ("pressure", True): "gesimuleerde druk",
        ("pressure", False): "simulated pressure",
    }[(data["kind"], nl)]
    unit = "µV" if data["unit"] == "uV" else data["unit"]
    channels = ", ".join(data["channels"])
    contractions = data["contractions"]
    if nl:
        text = (
            f"{data['out']} geschreven: {data['duration_s']:g} s {what} volgens het "
            f"{data['protocol'].capitalize()}-protocol, profiel {data['profile']}, seed "
            f"{data['seed']}, {data['sampling_rate_hz']:g} Hz in {unit}"
            + (f", netbrom {data['mains_hz']:g} Hz" if data["mains_hz"] else "")
            + f"; kanalen: {channels}; {data['annotations']} annotaties ({data['phases']} fasen)"
        )
        if contractions is not None:
            text += f", {contractions} echte aanspanningen"
        text += "."
        if data["truth"]:
            text += f" De grondwaarheid staat in {data['truth']}."
        return text
    text = (
        f"Wrote {data['out']}: {data['duration_s']:g} s of {what} following the "
        f"{data['protocol'].capitalize()} protocol, profile {data['profile']}, seed "
        f"{data['seed']}, {data['sampling_rate_hz']:g} Hz in {unit}"
        + (f", mains hum {data['mains_hz']:g} Hz" if data["mains_hz"] else "")
        + f"; channels: {channels}; {data['annotations']} annotations ({data['phases']} phases)"
    )
    if contractions is not None:
        text += f", {contractions} true contractions"
    text += "."
    if data["truth"]:
        text += f" Ground truth in {data['truth']}."
    return text


# --- analyze: the human-readable report -------------------------------------------------------

_PHASE_TEXT: Final[dict[str, tuple[str, str]]] = {
    "pre_baseline": ("rust vooraf", "rest before"),
    "phasic": ("snelle aanspanningen", "quick contractions"),
    "tonic": ("aanspanningen van 10 s", "10 s contractions"),
    "endurance": ("uithoudingsvermogen (60 s)", "endurance (60 s)"),
    "post_baseline": ("rust achteraf", "rest after"),
    "overall": ("hele opname", "whole recording"),
}

# Labels by key, with the unit part left out: mean_uv and mean_cmh2o share "mean".
_METRIC_TEXT: Final[dict[str, tuple[str, str]]] = {
    "mean": ("gemiddelde amplitude", "mean amplitude"),
    "mean_cmh2o": ("gemiddelde druk", "mean pressure"),
    "slope_cmh2o_per_s": ("helling over 1-s-gemiddelden", "slope of the 1 s means"),
    "variability_pct": ("variabiliteit (CV, populatie-SD)", "variability (CV, population SD)"),
    "median_frequency_hz": ("mediane frequentie", "median frequency"),
    "peak": ("piek, gemiddeld per aanspanning", "peak, mean per contraction"),
    "rise_s": ("stijgtijd (cue tot piek)", "rise time (cue to peak)"),
    "recovery_s": ("hersteltijd (tot rustniveau)", "recovery time (to rest level)"),
    "slope": ("helling over 1-s-envelop", "slope of the 1 s envelope"),
    "last_first_ratio": ("laatste / eerste 10 s", "last / first 10 s"),
}

_COLUMN_TEXT: Final[dict[str, tuple[str, str]]] = {
    "onset_s": ("begin", "onset"),
    "offset_s": ("einde", "offset"),
    "peak": ("piek", "peak"),
    "mean": ("gemiddeld", "mean"),
    "rise_s": ("stijgtijd", "rise"),
    "release_s": ("loslaten", "release"),
}

_TEXT: Final[dict[str, tuple[str, str]]] = {
    "heading": (
        "{source}: kanaal {channel}, {rate:g} Hz, {duration:.1f} s, {count} aanspanning(en)",
        "{source}: channel {channel}, {rate:g} Hz, {duration:.1f} s, {count} contraction(s)",
    ),
    "reference": (
        "  ter vergelijking, geen norm: gemiddelde amplitude {mean:.2f} ± {sd:.2f} µV\n"
        "    (Oleksy 2020: 96 gezonde jonge vrouwen die niet bevallen waren, ander apparaat)",
        "  for context, not a norm: mean amplitude {mean:.2f} ± {sd:.2f} µV\n"
        "    (Oleksy 2020: 96 healthy young nulliparous women, another device)",
    ),
    "contractions": ("Aanspanningen", "Contractions"),
    "abdominal_rises": (
        "Drukstijgingen met buikdruk (tellen niet als bekkenbodemaanspanning)",
        "Pressure rises with abdominal effort (not counted as pelvic floor contractions)",
    ),
    "none": ("geen gevonden", "none found"),
    "no_phases": (
        "Geen protocolfasen in het bestand: alleen de aanspanningen en het overzicht.",
        "No protocol phases in the file: contractions and overall figures only.",
    ),
    "squeeze": (
        "Knijpkracht (hoogste piek boven de rustdruk): {squeeze} cmH2O\n"
        "  rustdruk {resting} cmH2O, piek {peak} cmH2O; indeling: {band}\n"
        "  ({source})",
        "Squeeze (highest peak above the resting pressure): {squeeze} cmH2O\n"
        "  resting pressure {resting} cmH2O, peak {peak} cmH2O; band: {band}\n"
        "  ({source})",
    ),
    "emg_caveat": (
        "{note} Vergelijk metingen van dezelfde persoon met hetzelfde apparaat en lees ze als "
        "verloop. Pelvio stelt geen diagnose; bespreek de uitkomst met een "
        "bekkenfysiotherapeut.",
        "{note} Compare recordings of one person on one device and read them as a trend. "
        "Pelvio does not diagnose; discuss the results with a pelvic physiotherapist.",
    ),
    "pressure_caveat": (
        "Drukwaarden hangen af van de sonde (in één vergelijking 19,7 tegenover 36,5 cmH2O "
        "met twee apparaten; clinical.md §7): vergelijk alleen metingen met dezelfde sonde. "
        "Een drukstijging samen met buikdruk is geen bekkenbodemaanspanning. Pelvio stelt geen "
        "diagnose; bespreek de uitkomst met een bekkenfysiotherapeut.",
        "Pressure values depend on the probe (one comparison found 19.7 against 36.5 cmH2O "
        "for two devices; clinical.md §7): compare only recordings made with the same probe. "
        "A pressure rise together with abdominal effort is not a pelvic floor contraction. "
        "Pelvio does not diagnose; discuss the results with a pelvic physiotherapist.",
    ),
}

_UNIT_SUFFIXES: Final = (
    ("_uv_per_s", "µV/s"),
    ("_cmh2o_per_s", "cmH2O/s"),
    ("_uv", "µV"),
    ("_cmh2o", "cmH2O"),
    ("_pct", "%"),
    ("_hz", "Hz"),
    ("_s", "s"),
)
_NOT_METRICS: Final = frozenset({"name", "start_s", "end_s"})


def render_analysis(
    data: Mapping[str, Any],
    lang: Lang,
    *,
    source: str = "",
    recording: Recording | None = None,
) -> str:
    """The readable report of ``pelvio analyze``: a table per phase, then the contractions.

    ``data`` is the document of :meth:`Analysis.to_dict`; a metric without a label here is
    shown under its key, with the unit its suffix names. Amplitudes named ``*_cmh2o`` mark a
    pressure recording: it gets the squeeze and the probe caveat instead of the EMG reference
    values and reliability caveat.
    """
    from pelvio.signals.glazer import RELIABILITY_NOTE

    index = 0 if lang == "nl" else 1
    contractions: Sequence[Mapping[str, Any]] = data.get("contractions") or ()
    phases: Sequence[Mapping[str, Any]] = data.get("phases") or ()
    is_pressure = (recording is not None and recording.kind == "pressure") or "squeeze" in data
    lines = [
        _TEXT["heading"][index].format(
            source=source or "recording",
            channel=data.get("channel") or "?",
            rate=data.get("sampling_rate_hz") or 0.0,
            duration=data.get("duration_s") or 0.0,
            count=len(contractions),
        )
    ]
    if not any(
        phase.get("name") in _PHASE_TEXT and phase.get("name") != "overall" for phase in phases
    ):
        lines += ["", _TEXT["no_phases"][index]]
    for phase in phases:
        lines += ["", *_phase_block(phase, index, with_reference=not is_pressure)]
    if data.get("squeeze"):
        lines += ["", _squeeze_block(data["squeeze"], index)]
    lines += ["", *_contraction_table(_TEXT["contractions"][index], contractions, index)]
    if data.get("abdominal_rises"):
        title = _TEXT["abdominal_rises"][index]
        lines += ["", *_contraction_table(title, data["abdominal_rises"], index)]
    if is_pressure:
        lines += ["", _TEXT["pressure_caveat"][index]]
    else:
        lines += ["", _TEXT["emg_caveat"][index].format(note=RELIABILITY_NOTE[lang])]
    return "\n".join(lines)


def _phase_block(phase: Mapping[str, Any], index: int, *, with_reference: bool) -> list[str]:
    name = str(phase.get("name", "?"))
    title = _PHASE_TEXT.get(name, (name, name))[index]
    span = f"{_seconds(phase.get('start_s'))}–{_seconds(phase.get('end_s'))} s"
    lines = [f"{title} [{name}], {span}"]
    metrics = [(key, value) for key, value in phase.items() if key not in _NOT_METRICS]
    labels = [_label(_METRIC_TEXT, key, index) for key, _ in metrics]
    width = max((len(label) for label in labels), default=0)
    for (key, value), label in zip(metrics, labels, strict=True):
        unit = _unit_of_key(key) if value is not None else ""
        lines.append(f"  {label:<{width}}  {_fmt(value):>9} {unit}".rstrip())
    from pelvio.signals.glazer import OLEKSY_2020

    reference = OLEKSY_2020.get(name)
    if with_reference and reference is not None:
        lines.append(_TEXT["reference"][index].format(mean=reference.mean_uv, sd=reference.sd_uv))
    return lines


def _squeeze_block(squeeze: Mapping[str, Any], index: int) -> str:
    band_label = squeeze.get("band_label")
    band = (
        band_label.get(LANGS[index], squeeze.get("band"))
        if isinstance(band_label, Mapping)
        else squeeze.get("band")
    )
    return _TEXT["squeeze"][index].format(
        squeeze=_fmt(squeeze.get("squeeze_cmh2o")),
        resting=_fmt(squeeze.get("resting_cmh2o")),
        peak=_fmt(squeeze.get("peak_cmh2o")),
        band=band or "–",
        source=squeeze.get("band_source") or "clinical.md §7",
    )


def _contraction_table(
    title: str, contractions: Sequence[Mapping[str, Any]], index: int
) -> list[str]:
    if not contractions:
        return [f"{title}: {_TEXT['none'][index]}"]
    keys = list(contractions[0])
    headers = [f"{_label(_COLUMN_TEXT, key, index)} ({_unit_of_key(key)})" for key in keys]
    rows = [[_fmt(item.get(key)) for key in keys] for item in contractions]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [f"{title}:"]
    lines.append("  " + "  ".join(h.rjust(w) for h, w in zip(headers, widths, strict=True)))
    lines += ["  " + "  ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    return lines


def _label(table: Mapping[str, tuple[str, str]], key: str, index: int) -> str:
    """The label of ``key``, trying it whole and then without its unit (``peak_uv``: peak)."""
    for candidate in (key, key.split("_", 1)[0]):
        if candidate in table:
            return table[candidate][index]
    return key


def _seconds(value: object) -> str:
    return f"{value:.1f}" if isinstance(value, int | float) else "?"


def _unit_of_key(key: str) -> str:
    for suffix, unit in _UNIT_SUFFIXES:
        if key.endswith(suffix):
            return unit
    return ""


def _fmt(value: object) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "–"
        # About four significant figures: 0.123 s, 12.34 µV, 1234 µV.
        decimals = 3 if abs(value) < 10 else 2 if abs(value) < 1000 else 0
        return f"{value:.{decimals}f}"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


# --- option parsing -------------------------------------------------------------------------


def _option(flag: str, value: str, allowed: Sequence[str]) -> str:
    if value not in allowed:
        options = ", ".join(allowed)
        raise InputError(f"{flag} must be one of {options}; got {value!r}", field=flag)
    return value


def _number(flag: str, text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InputError(f"{flag} must be a number, got {text!r}", field=flag) from None
    if not math.isfinite(value):
        raise InputError(f"{flag} must be a finite number, got {text!r}", field=flag)
    return value


def _whole(flag: str, text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"{flag} must be a whole number, got {text!r}", field=flag) from None
    if value < 0:
        raise InputError(f"{flag} must be 0 or more, got {value}", field=flag)
    return value


def _lang(value: str) -> Lang:
    return "nl" if _option("--lang", value, LANGS) == "nl" else "en"
