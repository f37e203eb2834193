"""Pelvio's benchmarks: speed, latency, memory and accuracy, measured beside their peers.

Every module in this package with a ``run() -> str`` function is a benchmark. ``run`` measures
every column of its table in one run on the same data and returns Markdown; ``python -m bench``
(or ``make bench``) runs them and writes each result between the markers
``<!-- bench:NAME -->`` and ``<!-- /bench:NAME -->`` in ``docs/benchmarks.md``, where NAME is
the module name. These are measurements, not tests: nothing here fails a build.
"""
