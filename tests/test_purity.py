"""The domain modules stay pure: no web framework, no ORM, no file I/O.

Each pure module is imported in a fresh interpreter, and the test fails if FastAPI, Starlette,
SQLAlchemy, Jinja2, Typer or edfio was loaded, or if the source calls ``open`` or reads and writes
files through ``pathlib``. Adapter modules (``ADAPTERS``; see :mod:`pelvio.features`) hold the I/O.
"""

from __future__ import annotations

import ast
import json
import pkgutil
import subprocess
import sys
from importlib import import_module
from pathlib import Path

import pytest

import pelvio

DOMAIN_PACKAGES = (
    "pelvio.signals",
    "pelvio.training",
    "pelvio.diary",
    "pelvio.measures",
    "pelvio.pathway",
    "pelvio.content",
    "pelvio.biofeedback",
)
ADAPTERS = {
    "cli",
    "routes",
    "tables",
    "service",
    "edf",
    "fileio",
    "library",
    "demo",
    "today",
    "web",
    "devices",
    "recorder",
    "hub",
    "live",
    "ws",
    "_devpaced",  # devices: sim and replay (reads EDF files)
    "_devserial",  # devices: serial ports
    "_devboards",  # devices: BrainFlow and LSL
    "connect",
}
FORBIDDEN = ("fastapi", "starlette", "sqlalchemy", "jinja2", "typer", "edfio", "uvicorn", "alembic")
FILE_METHODS = {"read_text", "write_text", "read_bytes", "write_bytes", "open", "unlink", "mkdir"}


def pure_modules() -> list[str]:
    names: list[str] = ["pelvio.errors", "pelvio._check"]
    root = Path(pelvio.__file__).parent
    for package in DOMAIN_PACKAGES:
        folder = root.joinpath(*package.split(".")[1:])
        if not folder.is_dir():
            continue
        if (folder / "__init__.py").exists():
            names.append(package)
        for info in pkgutil.walk_packages([str(folder)], prefix=package + "."):
            if info.name.rsplit(".", 1)[-1] not in ADAPTERS:
                names.append(info.name)
    return sorted(set(names))


MODULES = pure_modules()


def test_the_signal_core_is_among_the_checked_modules() -> None:
    assert "pelvio.signals.annotations" in MODULES
    assert "pelvio._check" in MODULES


@pytest.mark.parametrize("module", MODULES)
def test_module_imports_no_framework(module: str) -> None:
    code = (
        f"import importlib, json, sys; importlib.import_module({module!r}); "
        "print(json.dumps(sorted(m.split('.')[0] for m in sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    loaded = set(json.loads(result.stdout))
    assert not loaded & set(FORBIDDEN), f"{module} pulls in {sorted(loaded & set(FORBIDDEN))}"


@pytest.mark.parametrize("module", MODULES)
def test_module_does_no_file_io(module: str) -> None:
    source = Path(import_module(module).__file__ or "").read_text(encoding="utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                pytest.fail(f"{module} line {node.lineno} calls open()")
            if isinstance(func, ast.Attribute) and func.attr in FILE_METHODS:
                pytest.fail(f"{module} line {node.lineno} calls .{func.attr}()")
