"""The machine the benchmarks ran on: its CPU, memory, JDK and packages, and how busy other
processes kept it during each part."""
from __future__ import annotations

import datetime
import importlib.metadata
import os
import pathlib
import platform
import subprocess
import time

from measure import CORES, run


def machine(python: str, jdk: pathlib.Path) -> dict:
    model = "unknown CPU"
    try:
        model = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    java_version = subprocess.run([str(jdk / "bin" / "java"), "-version"], capture_output=True, text=True).stderr
    machine_python = run([python, "-c", "import platform, sys; print(platform.python_version(), sys.executable)"]).split()

    def version(package):
        try:
            return importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            return "not installed"

    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "cores": CORES, "cpu": model, "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "jdk": java_version.splitlines()[1].strip() if len(java_version.splitlines()) > 1 else java_version.strip(),
        "jdk_home": str(jdk),
        "python": f"{machine_python[0]} ({machine_python[1]})",
        "venv_python": platform.python_version(),
        "packages": {p: version(p) for p in ("jjava", "jupyterlab", "nbclient", "jupyter_client", "ipykernel")},
        "load_before": os.getloadavg(),
    }


def cpu_snapshot() -> tuple[float, float, float]:
    """(wall clock, CPU seconds of the whole machine, CPU seconds of this process and its reaped children)."""
    try:
        with open("/proc/stat") as stat:
            fields = [int(x) for x in stat.readline().split()[1:]]
        busy = (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")   # all but idle and iowait
    except OSError:
        busy = float("nan")
    import resource
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), busy, me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def others_share(before, after) -> float:
    """The share of the machine's cores other processes kept busy between two snapshots (0.0 to 1.0)."""
    wall = after[0] - before[0]
    others = (after[1] - before[1]) - (after[2] - before[2])
    return max(0.0, others / (wall * CORES)) if wall > 0 else float("nan")


def disturbance(others: dict) -> list[str]:
    """A line on how busy other processes kept the machine during each part of the run."""
    if not others:
        return []
    shares = ", ".join(f"{part.replace('_', ' ')} {share:.0%}" for part, share in others.items())
    worst = max(others.values())
    verdict = ("a quiet machine" if worst < 0.05 else
               "figures may be disturbed where other work was running" if worst < 0.25 else
               "**other work was running: figures are disturbed**, rerun `make bench` on a quiet machine")
    return [f"- CPU used by other processes during each part, as a share of all {CORES} cores: {shares} ({verdict})"]
