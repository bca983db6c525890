"""What every benchmark here shares: where things are, running `java` and other programs, the
figures (median, min, max) and how they are written, and the log line.

The benchmarks themselves are one file each (parity, scale, kernel_start, virtual_time,
hub_class), the report and its chart are report.py, and run.py runs them all (`make bench`).
"""
from __future__ import annotations

import json
import os
import pathlib
import shutil
import statistics
import subprocess
import sys
import time

from course.paths import HELPER_JAR as JAR
from course.paths import BUILD, NOTEBOOKS, ROOT

BENCH = ROOT / "bench"
CLASSES = BUILD / "bench"
SCALE_NOTEBOOK = NOTEBOOKS / "09-scale.ipynb"
CORES = os.cpu_count() or 1
FLOOR = 1.0                # one fetch takes one second: no way of running them can beat that


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values),
            "values": list(values)}   # in the order they were measured


def fmt(s: dict | None, digits: int = 3) -> str:
    if not s:
        return "—"
    if s["runs"] == 1:
        return f"{s['median']:.{digits}f}"
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def jdk_home() -> pathlib.Path:
    cached = ROOT / ".cache" / "jdk-home"
    if cached.exists() and cached.read_text().strip():
        return pathlib.Path(cached.read_text().strip())
    found = subprocess.run([str(ROOT / "tools" / "find-jdk")], capture_output=True, text=True)
    if found.returncode != 0:
        raise SystemExit(found.stderr.strip())
    return pathlib.Path(found.stdout.strip())


def compile_java(jdk: pathlib.Path) -> None:
    if not JAR.exists():
        raise SystemExit(f"{JAR.relative_to(ROOT)} is missing: run `make jar` first")
    shutil.rmtree(CLASSES, ignore_errors=True)
    CLASSES.mkdir(parents=True)
    sources = sorted(str(p) for p in (BENCH / "java").glob("*.java"))
    subprocess.run([str(jdk / "bin" / "javac"), "-encoding", "UTF-8", "-cp", str(JAR), "-d", str(CLASSES), *sources],
                   check=True)


def java(jdk: pathlib.Path, *args: str, timeout: float = 300, stdin: str | None = None) -> str:
    """`java` of the JDK with the bench's classes and the helper jar; what it printed."""
    command = [str(jdk / "bin" / "java"), "-cp", f"{CLASSES}{os.pathsep}{JAR}", *args]
    return run(command, timeout, stdin)


def run(command: list[str], timeout: float = 300, stdin: str | None = None) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT, input=stdin)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def json_line(text: str) -> dict:
    return json.loads([line for line in text.splitlines() if line.startswith("{")][-1])
