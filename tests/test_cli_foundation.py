"""The ``pelvio`` command: version, schema, demo data, and one-line errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pelvio.db import head_revisions

PELVIO = str(Path(sys.executable).with_name("pelvio"))


def run(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PELVIO, *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PELVIO_")}
    env.update({"PELVIO_DATA_DIR": str(tmp_path), "PELVIO_ENV": "development", **extra})
    return env


def test_version(tmp_path: Path) -> None:
    result = run("--version", env=environment(tmp_path))
    assert result.returncode == 0
    assert result.stdout.startswith("pelvio 0.")


def test_upgrade_then_demo_then_demo_again(tmp_path: Path) -> None:
    env = environment(tmp_path)
    upgraded = run("db", "upgrade", "--json", env=env)
    assert upgraded.returncode == 0, upgraded.stderr
    assert json.loads(upgraded.stdout)["from"] == []
    assert set(json.loads(upgraded.stdout)["to"]) == head_revisions()
    assert (tmp_path / "pelvio.db").exists()
    again = run("db", "upgrade", "--json", env=env)
    assert json.loads(again.stdout)["from"] == json.loads(again.stdout)["to"]

    demo = run("demo", "--json", env=env)
    assert demo.returncode == 0, demo.stderr
    assert {a["role"] for a in json.loads(demo.stdout)["accounts"]} == {"patient", "therapist"}
    kept = run("demo", "--if-empty", "--json", env=env)
    assert kept.returncode == 0
    assert json.loads(kept.stdout) == {"created": False}
    refused = run("demo", env=env)
    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0
    assert "database has users already" in refused.stderr


def test_serve_refuses_production_without_a_secret(tmp_path: Path) -> None:
    result = run("serve", env=environment(tmp_path, PELVIO_ENV="production"))
    assert result.returncode == 2
    assert result.stderr.startswith("pelvio: error: PELVIO_SECRET_KEY must be set")
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1


def test_serve_refuses_an_old_schema(tmp_path: Path) -> None:
    result = run("serve", env=environment(tmp_path))
    assert result.returncode == 2
    assert "run 'pelvio db upgrade' first" in result.stderr


def test_unknown_command_is_a_usage_error(tmp_path: Path) -> None:
    result = run("no-such-command", env=environment(tmp_path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
