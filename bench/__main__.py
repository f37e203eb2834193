"""Run the benchmarks: ``python -m bench [NAME ...] [--no-write] [--list]``.

Each benchmark module (``bench/NAME.py`` with ``run() -> str``) runs in its own fresh Python
process, so one benchmark's imports, caches and memory never colour another's. The Markdown it
returns is printed and written into ``docs/benchmarks.md`` between ``<!-- bench:NAME -->`` and
``<!-- /bench:NAME -->`` (appended at the end when the markers are missing). The
``<!-- bench:machine -->`` block records the machine and library versions of the last run.
"""

from __future__ import annotations

import argparse
import datetime
import os
import pkgutil
import platform
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
PACKAGE = Path(__file__).resolve().parent

# BLAS and OpenMP pools stay at one thread: the targets are stated for one core.
_ONE_THREAD = {
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "NUMEXPR_NUM_THREADS": "1",
}


def discover() -> list[str]:
    """Names of the benchmark modules in ``bench/`` that define ``run``."""
    names = []
    for info in pkgutil.iter_modules([str(PACKAGE)]):
        if info.name.startswith("_"):
            continue
        source = (PACKAGE / f"{info.name}.py").read_text(encoding="utf-8")
        if re.search(r"^def run\(\) -> str:", source, flags=re.MULTILINE):
            names.append(info.name)
    return sorted(names)


def run_one(name: str) -> str:
    """Run ``bench.NAME.run()`` in a fresh interpreter and return its Markdown."""
    env = {**os.environ, **_ONE_THREAD, "PYTHONHASHSEED": "0"}
    code = f"import bench.{name} as m, sys; sys.stdout.write(m.run())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"bench.{name} failed:\n{result.stderr}")
    if result.stderr:
        sys.stderr.write(result.stderr)
    return result.stdout.strip()


def machine() -> str:
    """One Markdown paragraph: machine, Python and library versions, date."""
    import numpy
    import scipy

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024**2:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    today = datetime.datetime.now(tz=datetime.UTC).date().isoformat()
    # Other work on the machine shows in the timings; the load says how much there was.
    load = (
        f"; load average {os.getloadavg()[0]:.1f} at the start" if hasattr(os, "getloadavg") else ""
    )
    return (
        f"Last run {today} on {cpu} ({os.cpu_count()} cores{memory}), {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, NumPy {numpy.__version__}, "
        f"SciPy {scipy.__version__}; BLAS/OpenMP limited to one thread{load}."
    )


def replace_block(document: str, name: str, body: str) -> str:
    """``document`` with the block of ``name`` replaced by ``body`` (or appended)."""
    start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    block = f"{start}\n{body.strip()}\n{end}"
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), flags=re.DOTALL)
    if pattern.search(document):
        return pattern.sub(lambda _: block, document, count=1)
    return document.rstrip("\n") + f"\n\n{block}\n"


def main(argv: list[str] | None = None) -> int:
    """Run the chosen (default: all) benchmarks and update ``docs/benchmarks.md``."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("names", nargs="*", help="benchmark modules to run (default: all)")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--list", action="store_true", help="list the benchmarks and stop")
    args = parser.parse_args(argv)
    available = discover()
    if args.list:
        print("\n".join(available))
        return 0
    unknown = sorted(set(args.names) - set(available))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; available: {available}")
    blocks = {"machine": machine()}
    for name in args.names or available:
        started = time.perf_counter()
        print(f"== bench.{name}", file=sys.stderr, flush=True)
        blocks[name] = run_one(name)
        print(blocks[name] + "\n", flush=True)
        print(f"   ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
        if not args.no_write:
            # Read afresh and written after each benchmark: an interrupted run keeps what it
            # measured, and edits made to the file meanwhile (other sections) are kept.
            document = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n"
            for block, body in blocks.items():
                document = replace_block(document, block, body)
            DOC.write_text(document, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
