"""Part 3, the kernel: cold start to the first executed cell (the Java kernel, cold and from a
warm spare, against ipykernel), lesson 04's three timings in each, and the time each notebook
takes to run headless."""
from __future__ import annotations

import os
import pathlib
import re
import time

import nbformat

from course import kernel, nbrun, net, paths, printed
from course.paths import NOTEBOOKS
from measure import SCALE_NOTEBOOK, fmt, log, summary, table

SPARE = {"on": {"ASYNCLAB_SPARE_KERNELS": "1", "ASYNCLAB_SPARE_DELAY": "0"},
         "off": {"ASYNCLAB_SPARE_KERNELS": "0"}}


def cold_start(name: str, first_cell: str, setup_cell: str | None) -> dict:
    """From launching a kernel to the reply of its first cell (and then of the setup cell), through
    jupyter_client as nbclient and the Jupyter server use it; with the kernel's pid and memory."""
    began = time.perf_counter()
    with kernel.started(name, NOTEBOOKS) as (km, kc):
        ready = time.perf_counter()
        kernel.run_ok(kc, first_cell)
        first = time.perf_counter()
        figures = {"ready": ready - began, "first_cell": first - began}
        if setup_cell:
            kernel.run_ok(kc, setup_cell)
            figures["setup_cell"] = time.perf_counter() - first
        figures["pid"] = km.provisioner.pid
        figures["rss_mib"] = rss_mib(km.provisioner.pid)
        return figures


def rss_mib(pid: int) -> float:
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_ticks(pid: int) -> int:
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def warm_spare(timeout: float = 120) -> tuple[int, float]:
    """Starts a Java kernel so that the provisioner starts a spare at once, and returns the spare's
    pid and memory once it is warm: its CPU time has not grown for a second (it waits on stdin).
    The kernel that made it is shut down; the spare stays for the next start."""
    from asynclab_kernel import spare
    from jupyter_client import KernelManager

    os.environ.update(SPARE["on"])
    km = KernelManager(kernel_name="java")
    km.start_kernel(cwd=str(NOTEBOOKS))
    try:
        began = time.monotonic()
        pid = net.until(spare.SPARES.waiting, timeout)[0]
        ticks = [-1]

        def settled():   # the CPU time unchanged over the last four looks, a second
            ticks.append(cpu_ticks(pid))
            return len(ticks) > 4 and len(set(ticks[-5:])) == 1
        net.until(settled, timeout - (time.monotonic() - began), 0.25)
        return pid, rss_mib(pid)
    finally:
        os.environ["ASYNCLAB_SPARE_DELAY"] = "3600"   # no new spare warms up beside a timed start
        km.shutdown_kernel(now=True)


def spare_start(first_cell: str, setup_cell: str) -> dict:
    """A Java kernel the provisioner hands to a warm spare, as every kernel after a server's first
    is (kernel/python/asynclab_kernel/spare.py)."""
    from asynclab_kernel import spare

    try:
        pid, spare_rss = warm_spare()
        figures = cold_start("java", first_cell, setup_cell)
        if figures["pid"] != pid:
            raise RuntimeError(f"the kernel did not start from the spare ({figures['pid']} != {pid})")
        return {**figures, "spare_rss_mib": spare_rss}
    finally:
        spare.SPARES.stop_all()
        os.environ.update(SPARE["off"])


LESSON_03 = NOTEBOOKS / "04-gather-vs-sequential.ipynb"


def lesson_03_figures(from_spare: bool) -> list[float]:
    """What lesson 04's `app` cell prints (gathered, as tasks, one after the other), the whole
    lesson run top to bottom in a fresh kernel: a cold one, or one handed to a warm spare."""
    if from_spare:
        warm_spare()
    try:
        nb = nbformat.read(LESSON_03, as_version=4)
        nbrun.notebook_client(nb, NOTEBOOKS, timeout=600, allow_errors=False).execute()
    finally:
        if from_spare:
            from asynclab_kernel import spare
            spare.SPARES.stop_all()
            os.environ.update(SPARE["off"])
    app = next(c for c in nb.cells if "app" in c.get("metadata", {}).get("tags", []))
    text = "".join(o.get("text", "") for o in app.outputs if o.output_type == "stream")
    return printed.times(text)


def kernel_starts(repeats: int, lesson_03: bool = True) -> dict:
    """Starts of the Java kernel cold (no spare: the first kernel of a server), from a warm spare,
    and of ipykernel, taken in turn (cold, spare, Python, cold, ...) so that a change in the
    machine's load reaches all three; each ratio is a Java median over ipykernel's."""
    setup = next(c.source for c in nbformat.read(SCALE_NOTEBOOK, as_version=4).cells
                 if "setup" in c.get("metadata", {}).get("tags", []))
    runs = {"java": [], "java_spare": [], "python3": []}
    os.environ.update(SPARE["off"])
    for i in range(repeats):
        for kind in runs:
            log(f"start of the {kind} kernel, run {i + 1} of {repeats}")
            if kind == "java_spare":
                runs[kind].append(spare_start("1 + 1", setup))
            else:
                runs[kind].append(cold_start(kind, "1 + 1", setup if kind == "java" else None))
    out = {kind: {key: summary([r[key] for r in rs]) for key in rs[0] if key != "pid"}
           for kind, rs in runs.items()}
    from jupyter_client.kernelspec import KernelSpecManager
    argv = KernelSpecManager().get_kernel_spec("java").argv
    out["java_options"] = [re.sub(r"=/\S*/", "=", o) for o in argv[1:argv.index("-cp")]]
    python = out["python3"]["first_cell"]["median"]
    out["ratio"] = {
        "first_cell": out["java"]["first_cell"]["median"] / python,
        "spare_first_cell": out["java_spare"]["first_cell"]["median"] / python,
        "pairs": [j["first_cell"] / p["first_cell"] for j, p in zip(runs["java"], runs["python3"])],
        "spare_pairs": [j["first_cell"] / p["first_cell"] for j, p in zip(runs["java_spare"], runs["python3"])],
    }
    if lesson_03:
        log("lesson 04 in a cold kernel, then in one from a spare")
        out["lesson_03"] = {"cold": lesson_03_figures(False), "spare": lesson_03_figures(True)}
    return out


def kernel_start_lines(k: dict) -> list[str]:
    """The kernel-start table and the ratios, for results.md and for `--only kernel_start`."""
    def row(name, kind, setup=True):
        f = k[kind]
        return [name, fmt(f["ready"], 2), fmt(f["first_cell"], 2),
                fmt(f["setup_cell"], 2) if setup else "—", f"{f['rss_mib']['median']:.0f}"]
    rows = [row("Java (JJava), cold: the first kernel of a server", "java"),
            row("Java (JJava), from a warm spare: every later one", "java_spare"),
            row("Python (ipykernel)", "python3", setup=False)]
    out = [table(["kernel", "ready", "first cell done", "then the setup cell", "RSS MiB then"], rows), ""]
    if "java_options" in k:
        out += [f"The Java kernel's JVM options (its kernelspec): `{' '.join(k['java_options'])}`.", ""]
    if "ratio" in k:
        r = k["ratio"]
        spare_pairs = ", ".join(f"{x:.2f}" for x in r["spare_pairs"])
        pairs = ", ".join(f"{x:.2f}" for x in r["pairs"])
        out += [f"A Java kernel from a warm spare answers its first cell in **{r['spare_first_cell']:.2f}×** "
                f"ipykernel's time (median over median; run by run, in turn: {spare_pairs}). Target: ≤ 1.5×.", "",
                f"Cold, the first Java kernel a server starts takes **{r['first_cell']:.2f}×** ipykernel's "
                f"(run by run: {pairs}).", "",
                f"The spare, idle and warm, holds {k['java_spare']['spare_rss_mib']['median']:.0f} MiB (RSS) "
                "while it waits: the price of the faster start, paid once per Jupyter server "
                "(`ASYNCLAB_SPARE_KERNELS=0` turns spares off; the hub does, docs/teaching.md).", ""]
    if "lesson_03" in k:
        def line(figures):
            return " / ".join(f"{x:.2f}" for x in figures)
        out += ["Lesson 04 run top to bottom in a fresh kernel, its `app` cell (gathered, as tasks, one "
                f"after the other; the guide prints 1.00 / 1.00 / 2.00): cold **{line(k['lesson_03']['cold'])}**, "
                f"from a spare **{line(k['lesson_03']['spare'])}**.", ""]
    return out


def notebook_times(which) -> list[dict]:
    if which == "lessons":
        notebooks = paths.lessons()
    elif which == "all":
        notebooks = paths.lessons() + paths.solutions()
    else:
        notebooks = [NOTEBOOKS / name for name in which]
    rows = []
    for path in notebooks:
        name = str(path.relative_to(NOTEBOOKS))
        log(f"notebook {name}, headless")
        nb = nbformat.read(path, as_version=4)
        began = time.perf_counter()
        nbrun.notebook_client(nb, path.parent, timeout=600).execute()
        seconds = time.perf_counter() - began
        errors = sum(1 for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error")
        rows.append({"notebook": name, "seconds": seconds, "code_cells": sum(c.cell_type == "code" for c in nb.cells),
                     "errors": errors})
    return rows
