"""``pelvio simulate`` and ``pelvio analyze`` end to end, through ``pelvio.cli.main``.

The JSON keys checked here are the contract of issue 3; the Oleksy 2020 reference values are
those of clinical.md §6 (Medicine 2020;99:e19060).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from pelvio.cli import main
from pelvio.signals.annotations import PHASE_NAMES
from pelvio.signals.cli import render_analysis
from pelvio.signals.edf import read_edf, write_edf
from pelvio.signals.glazer import RELIABILITY_NOTE

PHASE_KEYS = {"name", "start_s", "end_s", "mean_uv", "variability_pct", "median_frequency_hz"}
CONTRACTION_KEYS = {"onset_s", "offset_s", "peak_uv", "mean_uv", "rise_s", "release_s"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        main(list(argv))
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _default_language(monkeypatch: pytest.MonkeyPatch) -> None:
    # Text output is Dutch unless PELVIO_LOCALE (or --lang) says otherwise.
    monkeypatch.delenv("PELVIO_LOCALE", raising=False)


@pytest.fixture(scope="module")
def glazer_file(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("sim")
    out, truth = folder / "healthy.edf", folder / "truth.json"
    main(["simulate", "--seed", "7", "--out", str(out), "--truth", str(truth), "--json"])
    return out, truth


# --- simulate -----------------------------------------------------------------------------------


def test_simulate_writes_edf_truth_and_a_json_summary(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out, truth = tmp_path / "s.edf", tmp_path / "t.json"
    code, stdout, stderr = _run(
        capsys, "simulate", "--protocol", "glazer", "--profile", "weak", "--seed", "3",
        "--sampling-rate", "2000", "--out", str(out), "--truth", str(truth), "--json",
    )  # fmt: skip
    assert (code, stderr) == (0, "")
    summary = json.loads(stdout)
    assert summary["out"] == str(out)
    assert summary["truth"] == str(truth)
    assert (summary["profile"], summary["seed"], summary["kind"]) == ("weak", 3, "emg")
    assert summary["sampling_rate_hz"] == 2000.0
    assert summary["phases"] == 5
    recording = read_edf(out)
    assert recording.duration_s == pytest.approx(summary["duration_s"])
    assert [a.text for a in recording.annotations if a.text in PHASE_NAMES] == list(PHASE_NAMES)
    assert isinstance(json.loads(truth.read_text()), dict)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.edf", "t.json"]  # no leftovers


def test_simulate_is_reproducible_from_its_seed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    first, second, other = tmp_path / "a.edf", tmp_path / "b.edf", tmp_path / "c.edf"
    for path, seed in ((first, "11"), (second, "11"), (other, "12")):
        assert _run(capsys, "simulate", "--seed", seed, "--out", str(path))[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes() != other.read_bytes()


def test_simulate_human_summary_in_both_languages(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "h.edf"
    code, stdout, _ = _run(capsys, "simulate", "--seed", "5", "--out", str(out), "--lang", "en")
    assert code == 0
    assert stdout.startswith(f"Wrote {out}: ")
    assert "profile healthy, seed 5, 2000 Hz in µV" in stdout
    assert stdout.count("\n") == 1  # one paragraph
    code, stdout, _ = _run(capsys, "simulate", "--seed", "5", "--out", str(out))
    assert stdout.startswith(f"{out} geschreven: ")
    monkeypatch.setenv("PELVIO_LOCALE", "en")
    code, stdout, _ = _run(capsys, "simulate", "--seed", "5", "--out", str(out))
    assert stdout.startswith(f"Wrote {out}: ")


def test_simulate_without_seed_draws_and_reports_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, stdout, _ = _run(capsys, "simulate", "--out", str(tmp_path / "r.edf"), "--json")
    assert code == 0
    seed = json.loads(stdout)["seed"]
    again = tmp_path / "again.edf"
    assert _run(capsys, "simulate", "--seed", str(seed), "--out", str(again))[0] == 0
    assert again.read_bytes() == (tmp_path / "r.edf").read_bytes()


def test_simulate_abdominal_channel_and_pressure(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    two = tmp_path / "two.edf"
    code, stdout, _ = _run(
        capsys, "simulate", "--seed", "1", "--abdominal", "--mains", "60", "--out", str(two),
        "--json",
    )  # fmt: skip
    assert code == 0
    assert json.loads(stdout)["channels"] == ["EMG", "EMG abdominal"]
    assert read_edf(two).channel == "EMG"
    assert read_edf(two, channel="EMG abdominal").channel == "EMG abdominal"

    pressure = tmp_path / "p.edf"
    code, stdout, _ = _run(
        capsys, "simulate", "--kind", "pressure", "--seed", "1", "--sampling-rate", "100",
        "--abdominal", "--out", str(pressure), "--json",
    )  # fmt: skip
    assert code == 0
    summary = json.loads(stdout)
    assert (summary["unit"], summary["channels"]) == ("cmH2O", ["Pressure", "Abdominal press"])
    recording = read_edf(pressure)
    assert (recording.kind, recording.channel, recording.unit) == ("pressure", "Pressure", "cmH2O")


def test_cli_choices_match_the_library() -> None:
    from pelvio.signals import simulate
    from pelvio.signals.cli import PROFILES

    assert PROFILES == simulate.PROFILES


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--profile", "strong"], "--profile must be one of healthy, weak, overactive, "
         "fatigue; got 'strong'"),
        (["--protocol", "kegel"], "--protocol must be one of glazer; got 'kegel'"),
        (["--seed", "-1"], "--seed must be 0 or more, got -1"),
        (["--seed", "seven"], "--seed must be a whole number, got 'seven'"),
        (["--sampling-rate", "500"], "--sampling-rate must be at least 1000 Hz for EMG"),
        (["--sampling-rate", "fast"], "--sampling-rate must be a number, got 'fast'"),
        (["--mains", "55"], "--mains must be one of 50, 60; got '55'"),
        (["--kind", "ecg"], "--kind must be one of emg, pressure; got 'ecg'"),
        (["--lang", "de"], "--lang must be one of nl, en; got 'de'"),
    ],
)  # fmt: skip
def test_simulate_bad_flags_get_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, flags: list[str], message: str
) -> None:
    code, stdout, stderr = _run(capsys, "simulate", "--out", str(tmp_path / "x.edf"), *flags)
    assert code == 2
    assert stdout == ""
    assert stderr.startswith("pelvio: error: ")
    assert message in stderr
    assert stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("out", "message"),
    [
        (None, "--out FILE.edf is required"),
        ("recording.txt", "--out must name an .edf file, got 'recording.txt'"),
        ("missing/x.edf", "cannot write: the folder"),
    ],
)
def test_simulate_bad_output_paths(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    out: str | None,
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["simulate", "--seed", "1"] + (["--out", out] if out else [])
    code, _, stderr = _run(capsys, *argv)
    assert code == 2
    assert message in stderr
    assert stderr.count("\n") == 1


# --- analyze ------------------------------------------------------------------------------------


def test_analyze_json_is_the_analysis_document(
    capsys: pytest.CaptureFixture[str], glazer_file: tuple[Path, Path]
) -> None:
    path, _ = glazer_file
    code, stdout, stderr = _run(capsys, "analyze", str(path), "--json")
    assert (code, stderr) == (0, "")
    document = json.loads(stdout)
    assert set(document) == {"sampling_rate_hz", "duration_s", "channel", "phases", "contractions"}
    assert document["sampling_rate_hz"] == 2000.0
    assert document["channel"] == "EMG"
    recording = read_edf(path)
    assert document["duration_s"] == pytest.approx(recording.duration_s)
    phases = document["phases"]
    assert [phase["name"] for phase in phases] == list(PHASE_NAMES)
    for phase in phases:
        assert set(phase) >= PHASE_KEYS
        annotation = next(a for a in recording.annotations if a.text == phase["name"])
        assert phase["start_s"] == pytest.approx(annotation.onset_s)
        assert phase["end_s"] == pytest.approx(annotation.end_s)
    by_name: dict[str, dict[str, Any]] = {phase["name"]: phase for phase in phases}
    for name in ("phasic", "tonic", "endurance"):
        assert {"peak_uv", "rise_s", "recovery_s"} <= set(by_name[name])
    assert {"slope_uv_per_s", "last_first_ratio"} <= set(by_name["endurance"])
    assert document["contractions"]
    for contraction in document["contractions"]:
        assert set(contraction) == CONTRACTION_KEYS


def test_analyze_json_equals_the_python_api(
    capsys: pytest.CaptureFixture[str], glazer_file: tuple[Path, Path]
) -> None:
    from pelvio.signals.analysis import analyze

    path, _ = glazer_file
    recording = read_edf(path)
    expected = analyze(
        recording.signal, recording.sampling_rate_hz, recording.annotations, channel="EMG"
    ).to_dict()
    _, stdout, _ = _run(capsys, "analyze", str(path), "--json")
    assert json.loads(stdout) == json.loads(json.dumps(expected))


def test_analyze_human_report(
    capsys: pytest.CaptureFixture[str], glazer_file: tuple[Path, Path]
) -> None:
    path, _ = glazer_file
    code, stdout, _ = _run(capsys, "analyze", str(path), "--lang", "en")
    assert code == 0
    assert stdout.startswith(f"{path}: channel EMG, 2000 Hz, ")
    for title in ("rest before [pre_baseline]", "quick contractions [phasic]",
                  "endurance (60 s) [endurance]", "rest after [post_baseline]"):  # fmt: skip
        assert title in stdout
    assert "mean amplitude" in stdout
    assert "µV" in stdout
    assert "Oleksy 2020" in stdout
    assert "49.76 ± 26.44 µV" in stdout  # phasic, clinical.md §6
    assert "not a norm" in stdout
    assert "rise time (cue to peak)" in stdout
    assert RELIABILITY_NOTE["en"] in stdout
    assert "Pelvio does not diagnose" in stdout
    assert "Contractions:" in stdout
    code, dutch, _ = _run(capsys, "analyze", str(path))
    assert RELIABILITY_NOTE["nl"] in dutch
    assert "Pelvio stelt geen diagnose" in dutch
    assert "snelle aanspanningen [phasic]" in dutch


def test_analyze_second_channel_by_label(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "two.edf"
    assert _run(capsys, "simulate", "--seed", "2", "--abdominal", "--out", str(path))[0] == 0
    code, stdout, _ = _run(capsys, "analyze", str(path), "--channel", "EMG abdominal", "--json")
    assert code == 0
    assert json.loads(stdout)["channel"] == "EMG abdominal"
    code, _, stderr = _run(capsys, "analyze", str(path), "--channel", "Rectum")
    assert code == 2
    assert stderr == (
        f"pelvio: error: {path}: no channel labelled 'Rectum'; the channels are: "
        "'EMG' (uV, 2000 Hz), 'EMG abdominal' (uV, 2000 Hz)\n"
    )


def test_analyze_notes_a_unit_conversion_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import numpy as np

    path = tmp_path / "mv.edf"
    signal = np.random.default_rng(0).normal(0.0, 0.02, 20_000)
    import edfio

    edfio.Edf([edfio.EdfSignal(signal, 2000, label="EMG", physical_dimension="mV")]).write(path)
    code, stdout, stderr = _run(capsys, "analyze", str(path), "--json")
    assert code == 0
    assert stderr == f"pelvio: note: {path}: channel 'EMG' converted from mV to uV\n"
    assert json.loads(stdout)["channel"] == "EMG"


def _broken_files(folder: Path) -> dict[str, tuple[Path, str]]:
    good = write_edf(folder / "good.edf", [0.0, 1.0] * 2000, 2000.0).read_bytes()
    cases = {
        "empty": (b"", "the file is empty"),
        "truncated": (good[:-100], "the last data record is incomplete"),
        "lies": (good[:236] + b"7       " + good[244:], "the header announces 7 data records"),
        "text": (b"time,volume_ml\n07:00,300\n", "not an EDF file"),
    }
    files = {}
    for name, (raw, message) in cases.items():
        path = folder / f"{name}.edf"
        path.write_bytes(raw)
        files[name] = (path, message)
    csv = folder / "diary.csv"
    csv.write_text("time,volume_ml\n")
    files["extension"] = (csv, "its extension is '.csv'")
    files["missing"] = (folder / "missing.edf", "no such file")
    return files


@pytest.mark.parametrize("case", ["empty", "truncated", "lies", "text", "extension", "missing"])
def test_analyze_broken_file_is_one_line_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, case: str
) -> None:
    path, message = _broken_files(tmp_path)[case]
    code, stdout, stderr = _run(capsys, "analyze", str(path))
    assert code == 2
    assert stdout == ""
    assert stderr.startswith(f"pelvio: error: {path}: ")
    assert message in stderr
    assert stderr.count("\n") == 1


def test_analyze_lenient_reads_an_unclosed_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, glazer_file: tuple[Path, Path]
) -> None:
    raw = glazer_file[0].read_bytes()
    path = tmp_path / "unclosed.edf"
    path.write_bytes(raw[:236] + b"-1      " + raw[244:])
    assert _run(capsys, "analyze", str(path))[0] == 2
    code, stdout, stderr = _run(capsys, "analyze", str(path), "--lenient", "--json")
    assert code == 0
    assert "tolerated: the header leaves the number of data records open (-1)" in stderr
    assert json.loads(stdout)["channel"] == "EMG"


def test_analyze_bad_flag_values(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, stderr = _run(capsys, "analyze", str(tmp_path / "x.edf"), "--mains", "45")
    assert (code, stderr) == (2, "pelvio: error: --mains must be one of 50, 60; got '45'\n")


def test_the_installed_command_prints_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.edf"
    path.write_bytes(b"0       " + b"x" * 10)
    script = Path(sys.executable).with_name("pelvio")
    result = subprocess.run(
        [str(script), "analyze", str(path)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"pelvio: error: {path}: truncated: 18 bytes, shorter than the 256-byte EDF header\n"
    )


def test_analyze_pressure_with_its_abdominal_channel(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "p.edf"
    argv = ["simulate", "--kind", "pressure", "--sampling-rate", "100", "--abdominal"]
    assert _run(capsys, *argv, "--seed", "4", "--out", str(path))[0] == 0
    code, stdout, stderr = _run(capsys, "analyze", str(path), "--json")
    assert code == 0
    assert (
        stderr == f"pelvio: note: {path}: channel 'Abdominal press' used as the abdominal channel\n"
    )
    document = json.loads(stdout)
    assert {"squeeze", "abdominal_rises"} <= set(document)
    assert "mean_cmh2o" in document["phases"][0]
    code, text, _ = _run(capsys, "analyze", str(path), "--lang", "en")
    assert "Squeeze (highest peak above the resting pressure):" in text
    assert "Angelo et al. 2017" in text
    assert "mean pressure" in text
    assert "depend on the probe" in text
    assert "Oleksy 2020" not in text
    code, _, stderr = _run(capsys, "analyze", str(path), "--abdominal", "Rectal")
    assert code == 2
    assert "no channel labelled 'Rectal'" in stderr


def test_abdominal_option_is_for_pressure_only(
    capsys: pytest.CaptureFixture[str], glazer_file: tuple[Path, Path]
) -> None:
    code, _, stderr = _run(capsys, "analyze", str(glazer_file[0]), "--abdominal", "EMG")
    assert code == 2
    assert stderr == (
        "pelvio: error: --abdominal applies to pressure recordings; channel 'EMG' is EMG\n"
    )


# --- the human report on its own ------------------------------------------------------------


def test_report_labels_unknown_metrics_by_their_unit_suffix() -> None:
    document = {
        "sampling_rate_hz": 1000.0,
        "duration_s": 12.5,
        "channel": "EMG",
        "phases": [
            {"name": "tonic", "start_s": 0.0, "end_s": 12.5, "mean_uv": 12.345,
             "variability_pct": None, "onset_count": 3, "baseline_cmh2o": 2.0},
        ],
        "contractions": [],
    }  # fmt: skip
    text = render_analysis(document, "en", source="f.edf")
    lines = text.splitlines()
    assert lines[0] == "f.edf: channel EMG, 1000 Hz, 12.5 s, 0 contraction(s)"
    assert "10 s contractions [tonic], 0.0–12.5 s" in lines
    assert any(line.split() == ["mean", "amplitude", "12.35", "µV"] for line in lines)
    variability = next(line for line in lines if "variability (CV, population SD)" in line)
    assert variability.split()[-1] == "–"
    assert any(line.split() == ["onset_count", "3"] for line in lines)
    assert any(line.split() == ["baseline_cmh2o", "2.000", "cmH2O"] for line in lines)
    assert "37.05 ± 25.99 µV" in text  # tonic reference, Oleksy 2020
    assert "Contractions: none found" in text


def test_report_without_phases_says_so() -> None:
    document = {"sampling_rate_hz": 2000.0, "duration_s": 5.0, "channel": "EMG",
                "phases": [], "contractions": [
                    {"onset_s": 1.0, "offset_s": 2.5, "peak_uv": 40.0, "mean_uv": 30.0,
                     "rise_s": 0.2, "release_s": None}]}  # fmt: skip
    text = render_analysis(document, "nl")
    assert "Geen protocolfasen in het bestand" in text
    assert "Oleksy 2020" not in text.split("Aanspanningen")[0]
    table = text.split("Aanspanningen:")[1].splitlines()
    assert table[1].split() == ["begin", "(s)", "einde", "(s)", "piek", "(µV)", "gemiddeld",
                                "(µV)", "stijgtijd", "(s)", "loslaten", "(s)"]  # fmt: skip
    assert table[2].split() == ["1.000", "2.500", "40.00", "30.00", "0.200", "–"]
