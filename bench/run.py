"""The course's benchmarks: `make bench` (full) and `make bench-quick` (small sizes, one run each).

Four parts, all run in this one invocation on this machine:
  1. seed parity: the guide's program in Python (bench/python/asyncapp.py, run with the machine's
     python3) against the same program in Java through the helper jar (bench/java/SeedParity.java);
  2. scale: n fake one-second fetches at once, from 1 to 1,000,000: asyncio.gather, virtual threads,
     CompletableFuture with delayedExecutor, and fixed platform pools where they are still sane;
     each in a fresh process (seconds and peak RSS), and the largest sizes again inside the real
     Java kernel through nbclient, with the methods of notebooks/07-scale.ipynb;
  3. the kernel: cold start to the first executed cell (Java kernel against ipykernel) and the time
     each notebook takes to run headless;
  4. virtual time: the "one-second" fetch test on a VirtualClock against the same with a real delay.

Each figure is the median of a few runs with min and max. Benchmarks report; they never fail on
speed. Full run: bench/results.md and bench/scale.svg (committed), raw figures in bench/out/.
Quick run: everything in bench/out/quick/ (git-ignored).

    .venv/bin/python bench/run.py [--quick] [--python python3] [--out DIR]
    .venv/bin/python bench/run.py --only kernel_start     (the kernel-start part alone, ~1 min)
"""
from __future__ import annotations

import argparse
import datetime
import importlib.metadata
import json
import math
import os
import pathlib
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from xml.sax.saxutils import escape

ROOT = pathlib.Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
NOTEBOOKS = ROOT / "notebooks"
CLASSES = ROOT / "build" / "bench"
JAR = ROOT / "lib" / "asynclab.jar"
SCALE_NOTEBOOK = NOTEBOOKS / "07-scale.ipynb"

CORES = os.cpu_count() or 1
LARGE_POOL = 1000          # threads in the "large" fixed platform pool
SANE_SECONDS = 5           # a platform pool runs only where ceil(n / threads) stays within this
FLOOR = 1.0                # one fetch takes one second: no way of running them can beat that

FULL = dict(sizes=[1, 10, 100, 1_000, 10_000, 100_000, 1_000_000], repeats=3, parity_repeats=3,
            kernel_sizes=[100_000, 1_000_000], kernel_repeats=3, cold_repeats=3,
            notebooks="lessons", virtual_warm=20, virtual_repeats=3, pool_seconds=SANE_SECONDS)
QUICK = dict(sizes=[1, 10, 100], repeats=1, parity_repeats=1, kernel_sizes=[100], kernel_repeats=1,
             cold_repeats=1, notebooks=["00-start-here.ipynb"], virtual_warm=3, virtual_repeats=1,
             pool_seconds=2)

APPROACHES = {  # key: (label in tables and plot, colour from the Okabe-Ito palette)
    "asyncio": ("Python asyncio.gather", "#000000"),
    "virtual": ("Java virtual threads", "#0072B2"),
    "delayed": ("Java CompletableFuture + delayedExecutor", "#E69F00"),
    "pool-cores": (f"Java fixed pool, {CORES} threads (cores)", "#CC79A7"),
    "pool-large": (f"Java fixed pool, {LARGE_POOL:,} threads", "#009E73"),
    "kernel-virtual": ("virtual threads in the Java kernel", "#56B4E9"),
    "kernel-delayed": ("delayedExecutor in the Java kernel", "#D55E00"),
}


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------- figures

def summary(values: list[float]) -> dict:
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "runs": len(values),
            "values": list(values)}   # in the order they were measured


def fmt(s: dict | None, digits: int = 3) -> str:
    if not s:
        return "—"
    if s["runs"] == 1:
        return f"{s['median']:.{digits}f}"
    return f"{s['median']:.{digits}f} ({s['min']:.{digits}f}–{s['max']:.{digits}f})"


# ---------------------------------------------------------------------------------- processes

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


def java(jdk: pathlib.Path, *args: str, timeout: float = 300) -> str:
    command = [str(jdk / "bin" / "java"), "-cp", f"{CLASSES}{os.pathsep}{JAR}", *args]
    return run(command, timeout)


def run(command: list[str], timeout: float = 300) -> str:
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done.stdout


def json_line(text: str) -> dict:
    return json.loads([line for line in text.splitlines() if line.startswith("{")][-1])


# ---------------------------------------------------------------------------------- 1. seed parity

PARITY_LINE = re.compile(r"Execution time: (\d+\.\d+) seconds\.")
WAYS = ["gathered", "as tasks", "sequential"]


def seed_parity(python: str, jdk: pathlib.Path, repeats: int) -> dict:
    runs = {"python": [], "java": [], "java_second_round": []}
    for i in range(repeats):
        log(f"seed parity, run {i + 1} of {repeats}")
        runs["python"].append([float(x) for x in PARITY_LINE.findall(
            run([python, str(BENCH / "python" / "asyncapp.py"), "--digits", "4"]))])
        figures = [float(x) for x in PARITY_LINE.findall(java(jdk, "SeedParity", "2"))]
        runs["java"].append(figures[:3])
        runs["java_second_round"].append(figures[3:6])
    out = {}
    for side, triples in runs.items():
        out[side] = [summary([t[k] for t in triples]) for k in range(3)]
    out["difference"] = [out["java"][k]["median"] - out["python"][k]["median"] for k in range(3)]
    return out


# ---------------------------------------------------------------------------------- 2. scale

def pool_threads(approach: str) -> int:
    return CORES if approach == "pool-cores" else LARGE_POOL


def pool_is_sane(approach: str, n: int, limit: float) -> bool:
    return math.ceil(n / pool_threads(approach)) <= limit


def scale_in_processes(python: str, jdk: pathlib.Path, sizes: list[int], repeats: int, pool_seconds: float) -> dict:
    results: dict[str, dict[int, dict]] = {key: {} for key in ("asyncio", "virtual", "delayed", "pool-cores", "pool-large")}
    for n in sizes:
        for approach in results:
            if approach.startswith("pool") and not pool_is_sane(approach, n, pool_seconds):
                continue
            seconds, rss = [], []
            for i in range(repeats):
                log(f"scale: {approach}, n = {n:,}, run {i + 1} of {repeats}")
                if approach == "asyncio":
                    figures = json_line(run([python, str(BENCH / "python" / "scale.py"), str(n)], timeout=600))
                elif approach.startswith("pool"):
                    figures = json_line(java(jdk, "Scale", "pool", str(n), str(pool_threads(approach))))
                else:
                    figures = json_line(java(jdk, "Scale", approach, str(n), timeout=600))
                seconds.append(figures["seconds"])
                rss.append(figures["peak_rss_mb"])
            results[approach][n] = {"seconds": summary(seconds), "peak_rss_mb": summary(rss)}
    return results


KERNEL_HELPERS = """long peakRssKb() throws Exception {
    for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\\\D", ""));
    }
    return -1;
}
void resetPeakRss() {
    try { java.nio.file.Files.writeString(java.nio.file.Path.of("/proc/self/clear_refs"), "5"); }
    catch (Exception e) { /* not Linux: the peak then covers the whole session */ }
}"""

KERNEL_MEASURE = """System.gc();
resetPeakRss();
var benchRun = measure(() -> {method}({n}));
System.out.println("BENCH {{\\"approach\\": \\"{key}\\", \\"n\\": " + benchRun.value() + ", \\"seconds\\": "
    + benchRun.seconds() + ", \\"peak_rss_mb\\": " + peakRssKb() / 1024.0 + "}}");"""

KERNEL_METHODS = {"kernel-virtual": "withVirtualThreads", "kernel-delayed": "withDelayedExecutor"}


def scale_notebook_cells(nb) -> list[str]:
    """The setup cell of 07-scale and the cells declaring `content` and the methods the bench calls."""
    wanted = [r"^%classpath", r"^\s*(static\s+)?(final\s+)?(var|Content)\s+content\s*=",
              *[rf"^\s*int\s+{m}\s*\(" for m in KERNEL_METHODS.values()]]
    cells = []
    for pattern in wanted:
        found = [c.source for c in nb.cells if c.cell_type == "code" and re.search(pattern, c.source, re.M)]
        if not found:
            raise RuntimeError(f"{SCALE_NOTEBOOK.name} has no code cell matching {pattern!r}")
        if found[0] not in cells:
            cells.append(found[0])
    return cells


BENCH_HEAP = "1536m"   # a million virtual threads need more than the lessons' KERNEL_HEAP (512m)


def bench_kernel(heap: str = BENCH_HEAP) -> str:
    """The course's `java` kernelspec with a larger heap, as kernel `java-bench` (build/, not the
    venv): the lessons keep their 512m, and the million-task runs say what they needed."""
    import json
    from jupyter_client.kernelspec import KernelSpecManager
    spec = json.loads((pathlib.Path(KernelSpecManager().get_kernel_spec("java").resource_dir)
                       / "kernel.json").read_text())
    spec["argv"] = [a for a in spec["argv"] if not a.startswith("-Xmx")]
    spec["argv"].insert(1, f"-Xmx{heap}")
    spec["display_name"] = f"Java (bench, -Xmx{heap})"
    root = ROOT / "build" / "bench-kernels"
    (root / "kernels" / "java-bench").mkdir(parents=True, exist_ok=True)
    (root / "kernels" / "java-bench" / "kernel.json").write_text(json.dumps(spec, indent=1))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(root), os.environ.get("JUPYTER_PATH")]))
    return "java-bench"


def scale_in_kernel(sizes: list[int], repeats: int) -> dict:
    import nbformat
    from nbclient import NotebookClient

    source = nbformat.read(SCALE_NOTEBOOK, as_version=4)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": source.metadata["kernelspec"]})
    nb.cells = [nbformat.v4.new_code_cell(c) for c in scale_notebook_cells(source)]
    nb.cells.append(nbformat.v4.new_code_cell(KERNEL_HELPERS))
    for i in range(repeats):
        for n in sizes:
            for key, method in KERNEL_METHODS.items():
                nb.cells.append(nbformat.v4.new_code_cell(KERNEL_MEASURE.format(method=method, n=f"{n:_}", key=key)))
    log(f"scale inside the Java kernel: n in {sizes}, {repeats} run(s) each")
    NotebookClient(nb, timeout=600, startup_timeout=180, allow_errors=False, kernel_name=bench_kernel(),
                   resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    figures: dict[str, dict[int, list]] = {key: {} for key in KERNEL_METHODS}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                raise RuntimeError(f"the kernel wrote to stderr: {out.text[:500]}")
            if out.get("output_type") == "stream":
                for line in out.text.splitlines():
                    if line.startswith("BENCH "):
                        row = json.loads(line[6:])
                        figures[row["approach"]].setdefault(row["n"], []).append(row)
    results = {}
    for key, by_n in figures.items():
        results[key] = {n: {"seconds": summary([r["seconds"] for r in rows]),
                            "peak_rss_mb": summary([r["peak_rss_mb"] for r in rows])} for n, rows in by_n.items()}
        missing = set(sizes) - set(by_n)
        if missing:
            raise RuntimeError(f"no kernel figures for {key} at n = {sorted(missing)}")
    return results


# ---------------------------------------------------------------------------------- 3. the kernel

SPARE = {"on": {"ASYNCLAB_SPARE_KERNELS": "1", "ASYNCLAB_SPARE_DELAY": "0"},
         "off": {"ASYNCLAB_SPARE_KERNELS": "0"}}


def cold_start(kernel: str, first_cell: str, setup_cell: str | None) -> dict:
    """From launching a kernel to the reply of its first cell (and then of the setup cell), through
    jupyter_client as nbclient and the Jupyter server use it; with the kernel's pid and memory."""
    from jupyter_client import KernelManager

    km = KernelManager(kernel_name=kernel)
    began = time.perf_counter()
    km.start_kernel(cwd=str(NOTEBOOKS))
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=180)
        ready = time.perf_counter()
        reply = kc.execute_interactive(first_cell, timeout=120, output_hook=lambda msg: None)
        first = time.perf_counter()
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"{kernel}: the first cell failed: {reply['content']}")
        figures = {"ready": ready - began, "first_cell": first - began}
        if setup_cell:
            reply = kc.execute_interactive(setup_cell, timeout=120, output_hook=lambda msg: None)
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"{kernel}: the setup cell failed: {reply['content']}")
            figures["setup_cell"] = time.perf_counter() - first
        figures["pid"] = km.provisioner.pid
        figures["rss_mib"] = rss_mib(km.provisioner.pid)
        return figures
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


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
        deadline = time.monotonic() + timeout
        while not spare.SPARES.waiting() and time.monotonic() < deadline:
            time.sleep(0.1)
        pid = spare.SPARES.waiting()[0]
        last, still = -1, 0.0
        while still < 1.0 and time.monotonic() < deadline:
            ticks = cpu_ticks(pid)
            still = still + 0.25 if ticks == last else 0.0
            last = ticks
            time.sleep(0.25)
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


LESSON_03 = NOTEBOOKS / "03-gather-vs-sequential.ipynb"
TIMING = re.compile(r"Execution time: (\d+\.\d\d) seconds\.")


def lesson_03_figures(from_spare: bool) -> list[float]:
    """What lesson 03's `app` cell prints (gathered, as tasks, one after the other), the whole
    lesson run top to bottom in a fresh kernel: a cold one, or one handed to a warm spare."""
    import nbformat
    from nbclient import NotebookClient

    if from_spare:
        warm_spare()
    try:
        nb = nbformat.read(LESSON_03, as_version=4)
        NotebookClient(nb, timeout=600, startup_timeout=180,
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    finally:
        if from_spare:
            from asynclab_kernel import spare
            spare.SPARES.stop_all()
            os.environ.update(SPARE["off"])
    app = next(c for c in nb.cells if "app" in c.get("metadata", {}).get("tags", []))
    text = "".join(o.get("text", "") for o in app.outputs if o.output_type == "stream")
    return [float(x) for x in TIMING.findall(text)]


def kernel_starts(repeats: int, lesson_03: bool = True) -> dict:
    """Starts of the Java kernel cold (no spare: the first kernel of a server), from a warm spare,
    and of ipykernel, taken in turn (cold, spare, Python, cold, ...) so that a change in the
    machine's load reaches all three; each ratio is a Java median over ipykernel's."""
    import nbformat

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
        log("lesson 03 in a cold kernel, then in one from a spare")
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
        out += ["Lesson 03 run top to bottom in a fresh kernel, its `app` cell (gathered, as tasks, one "
                f"after the other; the guide prints 1.00 / 1.00 / 2.00): cold **{line(k['lesson_03']['cold'])}**, "
                f"from a spare **{line(k['lesson_03']['spare'])}**.", ""]
    return out


def notebook_times(which) -> list[dict]:
    import nbformat
    from nbclient import NotebookClient

    if which == "lessons":
        paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))
    elif which == "all":
        paths = sorted(NOTEBOOKS.glob("[0-9][0-9]-*.ipynb")) + sorted((NOTEBOOKS / "solutions").glob("[0-9][0-9]-*.ipynb"))
    else:
        paths = [NOTEBOOKS / name for name in which]
    rows = []
    for path in paths:
        name = str(path.relative_to(NOTEBOOKS))
        log(f"notebook {name}, headless")
        nb = nbformat.read(path, as_version=4)
        began = time.perf_counter()
        NotebookClient(nb, timeout=600, startup_timeout=180, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = time.perf_counter() - began
        errors = sum(1 for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error")
        rows.append({"notebook": name, "seconds": seconds, "code_cells": sum(c.cell_type == "code" for c in nb.cells),
                     "errors": errors})
    return rows


# ---------------------------------------------------------------------------------- 4. virtual time

def virtual_time(jdk: pathlib.Path, warm: int, repeats: int) -> dict:
    runs = []
    for i in range(repeats):
        log(f"virtual time, run {i + 1} of {repeats}")
        runs.append(json_line(java(jdk, "VirtualTime", str(warm), "1")))
    return {test: {key: summary([r[test][key] for r in runs]) for key in ("first_ms", "warm_median_ms", "warm_max_ms")}
            for test in runs[0]}


# ---------------------------------------------------------------------------------- the machine

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


# ---------------------------------------------------------------------------------- the report

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


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(r: dict, plot_name: str) -> str:
    m, quick = r["machine"], r["quick"]
    runs = "one run each (quick mode)" if quick else "the median of several runs, with (min–max)"
    out = [
        "# Benchmarks" + (" (quick mode)" if quick else ""),
        "",
        f"Written by `{'make bench-quick' if quick else 'make bench'}` (bench/run.py) on {m['date']} in "
        f"{r['elapsed_minutes']:.1f} minutes. Each figure is {runs}; times are seconds unless marked.",
        "These are measurements, not tests: nothing here passes or fails on speed.",
        "",
        "## Machine",
        "",
        f"- {m['cores']} cores ({m['cpu']}), {m['memory']} RAM, {m['os']}",
        f"- JDK: {m['jdk']} ({m['jdk_home']})",
        f"- python3: {m['python']}; the course's venv: Python {m['venv_python']}, "
        + ", ".join(f"{k} {v}" for k, v in m["packages"].items()),
        f"- load average (1, 5, 15 min) before the run: {', '.join(f'{x:.2f}' for x in m['load_before'])}; "
        f"after it (the benchmark's own processes included): {', '.join(f'{x:.2f}' for x in m['load_after'])}",
        *disturbance(m.get("others_cpu", {})),
        "",
        "## 1. Seed parity: the guide's program, Python and Java",
        "",
        "`python3 bench/python/asyncapp.py` (asyncio) against `java SeedParity` (bench/java, the helper "
        "jar's `Content` on virtual threads), each in a fresh process; the guide prints 1.00, 1.00 and 2.00.",
        "",
    ]
    p = r["parity"]
    rows = []
    for k, way in enumerate(WAYS):
        diff = p["difference"][k]
        rows.append([way, fmt(p["python"][k], 4), fmt(p["java"][k], 4), f"{diff:+.4f}",
                     "yes" if abs(diff) <= 0.02 else "no", fmt(p["java_second_round"][k], 4)])
    out += [table(["way", "Python asyncio", "Java (first round)", "Java − Python", "within ±0.02 s",
                   "Java, second round in the same JVM"], rows), ""]
    out += ["The first Java round pays for loading and linking classes (virtual-thread scheduler, lambdas) "
            "inside the first timed call; the second round, in the same JVM, shows the steady state.", ""]

    out += ["## 2. Scale: n fake one-second fetches at once", "",
            f"![time against the number of tasks]({plot_name})", "",
            "Each row is a fresh process (`python3 bench/python/scale.py n`, `java Scale <way> n`). "
            "÷ floor is the time over the 1.000 s a single fetch takes; ÷ asyncio is the time over "
            "asyncio's at the same n; peak RSS is the process's high-water mark (VmHWM), in MiB.", ""]
    rows = []
    for n in r["sizes"]:
        base = r["scale"]["asyncio"].get(n)
        for key, by_n in r["scale"].items():
            if n not in by_n:
                continue
            s = by_n[n]
            ratio = s["seconds"]["median"] / base["seconds"]["median"] if base else float("nan")
            rows.append([f"{n:,}", APPROACHES[key][0], fmt(s["seconds"]), f"{s['seconds']['median'] / FLOOR:.2f}",
                         f"{ratio:.2f}", f"{s['peak_rss_mb']['median']:.0f}"])
    out += [table(["n", "way", "seconds", "÷ floor", "÷ asyncio", "peak RSS MiB"], rows), ""]
    cut = []
    for key in ("pool-cores", "pool-large"):
        ran = sorted(r["scale"][key])
        skipped = [n for n in r["sizes"] if n not in r["scale"][key]]
        if skipped:
            first = skipped[0]
            cut.append(f"- {APPROACHES[key][0]}: run up to n = {ran[-1]:,} only; a pool of "
                       f"{pool_threads(key):,} threads fetches in waves of {pool_threads(key):,}, so n = {first:,} "
                       f"would take about {math.ceil(first / pool_threads(key)):,} s (cut off beyond "
                       f"{r['pool_seconds']:g} s of expected waiting).")
    out += ["Platform pools are cut off where they stop being sane:", "", *cut, ""]

    out += ["### Inside the Java kernel", "",
            "The same sizes run in a real JJava kernel through nbclient, with the setup cell and the "
            "methods of `notebooks/07-scale.ipynb` (timed with the helper's `measure`; the peak RSS is "
            "reset before each run and includes the kernel itself). This kernel runs with "
            f"`-Xmx{BENCH_HEAP}`: a million virtual threads do not fit in the lessons' default "
            "`KERNEL_HEAP` of 512m.", ""]
    rows = []
    for key, by_n in r["kernel_scale"].items():
        plain = r["scale"][key.removeprefix("kernel-")]
        for n, s in sorted(by_n.items()):
            in_order = ", ".join(f"{v:.2f}" for v in s["seconds"].get("values", []))
            rows.append([f"{n:,}", APPROACHES[key][0], fmt(s["seconds"]), f"{s['seconds']['median'] / FLOOR:.2f}",
                         in_order or "—", fmt(plain[n]["seconds"]) if n in plain else "—",
                         f"{s['peak_rss_mb']['median']:.0f}"])
    out += [table(["n", "way", "seconds in the kernel", "÷ floor", "each run, in order", "seconds in a plain `java`",
                   "peak RSS MiB"], rows), ""]
    out += ["The kernel runs every size and way in turn, then again: its JVM is warm after the first round "
            "(compiled code, a grown heap), while each plain `java` run starts cold.", ""]

    out += ["## 3. The kernel", "",
            "Cold start: from launching the kernel to the reply of its first cell (`1 + 1`), "
            "through jupyter_client, the Java kernel and ipykernel in turn; for Java also the setup cell "
            "(`%classpath ../lib/*.jar` and the imports). The Java kernel runs as its kernelspec says, "
            "with the start-up cache `make kernel` made (tools/kernel_cache.py) if there is one.", ""]
    out += kernel_start_lines(r["kernel_start"])
    out += ["Each lesson executed headless once (nbclient, a fresh kernel each, its start included; "
            "the solutions notebooks are not timed):", ""]
    rows = [[f"`{row['notebook']}`", str(row["code_cells"]), f"{row['seconds']:.1f}",
             "none" if row["errors"] == 0 else str(row["errors"])] for row in r["notebooks"]]
    total = sum(row["seconds"] for row in r["notebooks"])
    rows.append(["**total**", str(sum(row["code_cells"] for row in r["notebooks"])), f"**{total:.1f}**", ""])
    out += [table(["notebook", "code cells", "seconds", "errors"], rows), ""]

    out += ["## 4. Virtual time", "",
            "The course's test of a one-second fetch (the posts arrive; one 1 s delay was asked for), "
            "timed in real milliseconds: on a `VirtualClock`, blocking (`clock.run`) and asynchronous "
            "(`runUntilIdle`), against the same test with the real delay. \"First\" is the first test "
            "in a fresh JVM (class loading included); \"warm\" the median of the runs after it. Target: ≤ 10 ms.", ""]
    v = r["virtual_time"]
    names = {"virtual_blocking": "VirtualClock, blocking fetch", "virtual_async": "VirtualClock, async fetch",
             "real_blocking": "real delay, blocking fetch"}
    rows = [[names[key], fmt(s["first_ms"], 2), fmt(s["warm_median_ms"], 3), fmt(s["warm_max_ms"], 3),
             ("yes" if s["warm_median_ms"]["median"] <= 10 else "no") if key != "real_blocking" else "—"]
            for key, s in v.items()]
    out += [table(["test", "first ms", "warm median ms", "warm max ms", "≤ 10 ms"], rows), ""]
    out += ["Rerun: `make bench` (all of the above) or `make bench-quick` (small sizes, one run each, "
            "into bench/out/quick/).", ""]
    return "\n".join(out)


def plot(r: dict) -> str:
    """An SVG line chart of seconds against n (log scale), one line per way, the 1 s floor dashed."""
    series = {key: {n: s["seconds"]["median"] for n, s in by_n.items()} for key, by_n in r["scale"].items()}
    series.update({key: {n: s["seconds"]["median"] for n, s in by_n.items()} for key, by_n in r["kernel_scale"].items()})
    series = {k: v for k, v in series.items() if v}
    width, height, left, right, top, bottom = 840, 420, 60, 330, 40, 50
    xs = sorted({n for v in series.values() for n in v} | set(r["sizes"]))
    x_lo, x_hi = math.log10(min(xs)), math.log10(max(xs)) if max(xs) > min(xs) else math.log10(min(xs)) + 1
    y_hi = max(2.0, max(t for v in series.values() for t in v.values()))
    y_hi = math.ceil(y_hi / 5) * 5 if y_hi > 10 else math.ceil(y_hi)

    def x(n):
        return left + (math.log10(n) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def y(t):
        return height - bottom - t / y_hi * (height - top - bottom)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12" role="img">',
             "<title>Time to finish n fake one-second fetches, by way of running them</title>",
             "<desc>" + escape("; ".join(f"{APPROACHES[k][0]}: " + ", ".join(f"n={n:,} {t:.2f} s" for n, t in sorted(v.items()))
                                        for k, v in series.items())) + "</desc>",
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="22" font-size="14" font-weight="bold">n fake one-second fetches at once '
             f'({r["machine"]["cores"]} cores)</text>']
    step = 1 if y_hi <= 5 else (2 if y_hi <= 10 else 5)
    for t in range(0, int(y_hi) + 1, step):
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t}</text>')
    for n in xs:
        parts.append(f'<line x1="{x(n):.1f}" x2="{x(n):.1f}" y1="{top}" y2="{height - bottom}" stroke="#eee"/>')
        label = f"{n // 1_000_000}M" if n >= 1_000_000 else (f"{n // 1000}k" if n >= 1000 else str(n))
        parts.append(f'<text x="{x(n):.1f}" y="{height - bottom + 16}" text-anchor="middle">{label}</text>')
    parts.append(f'<text x="{(left + width - right) / 2}" y="{height - 12}" text-anchor="middle">n, tasks (log scale)</text>')
    parts.append(f'<text x="16" y="{(top + height - bottom) / 2}" text-anchor="middle" '
                 f'transform="rotate(-90 16 {(top + height - bottom) / 2})">seconds</text>')
    parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(FLOOR):.1f}" y2="{y(FLOOR):.1f}" stroke="#888" '
                 f'stroke-dasharray="6 4"/>')
    dashes = {"delayed": "8 3", "pool-cores": "4 2", "pool-large": "4 2 1 2", "kernel-virtual": "2 3",
              "kernel-delayed": "2 3"}   # told apart by line pattern as well as colour
    for i, (key, points) in enumerate(series.items()):
        label, colour = APPROACHES[key]
        coords = " ".join(f"{x(n):.1f},{y(t):.1f}" for n, t in sorted(points.items()))
        dash = f' stroke-dasharray="{dashes[key]}"' if key in dashes else ""
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        for n, t in sorted(points.items()):
            parts.append(f'<circle cx="{x(n):.1f}" cy="{y(t):.1f}" r="3" fill="{colour}"><title>{escape(label)}: '
                         f'n={n:,}, {t:.3f} s</title></circle>')
        ly = top + 10 + i * 20
        parts.append(f'<line x1="{width - right + 15}" x2="{width - right + 40}" y1="{ly}" y2="{ly}" stroke="{colour}" '
                     f'stroke-width="2"{dash}/>')
        parts.append(f'<text x="{width - right + 46}" y="{ly + 4}">{escape(label)}</text>')
    ly = top + 10 + len(series) * 20
    parts.append(f'<line x1="{width - right + 15}" x2="{width - right + 40}" y1="{ly}" y2="{ly}" stroke="#888" '
                 f'stroke-dasharray="6 4"/>')
    parts.append(f'<text x="{width - right + 46}" y="{ly + 4}">the floor: one fetch, 1 s</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def hub_class_section(quick: bool, raw_dir: pathlib.Path) -> str:
    """A class on `make hub`: 10 learners run lesson 03 at once (hub/classroom.py); not in quick mode."""
    if quick:
        return ""   # tests/test_hub.py drives the same class (3 learners) in `make test`
    out = raw_dir / "hub-class.json"
    log("a class of 10 learners on JupyterHub (hub/classroom.py)")
    text = run([sys.executable, str(ROOT / "hub" / "classroom.py"), "10", "--out", str(out)], timeout=900)
    return "\n## A class on JupyterHub (`make hub`)\n\n" + text.strip() + "\n"


# ---------------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small n, one run each, into bench/out/quick")
    parser.add_argument("--python", default="python3", help="the Python to compare with (default: python3)")
    parser.add_argument("--out", type=pathlib.Path, help="where to write results.md and scale.svg")
    parser.add_argument("--rerender", type=pathlib.Path, metavar="RESULTS_JSON",
                        help="only write the report and plot again from the raw figures of an earlier run")
    parser.add_argument("--only", choices=["kernel_start"],
                        help="run only this part (the full number of runs) and print its table")
    args = parser.parse_args()
    os.environ.update(SPARE["off"])   # every kernel cold unless a part says otherwise (spare_start)
    if args.only == "kernel_start":
        results = kernel_starts((QUICK if args.quick else FULL)["cold_repeats"])
        out_dir = (args.out or BENCH / "out").resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "kernel_start.json").write_text(json.dumps(results, indent=1))
        print("\n".join(kernel_start_lines(results)))
        return
    if args.rerender:
        results = json.loads(args.rerender.read_text())
        for part in ("scale", "kernel_scale"):   # JSON turned the sizes into strings
            results[part] = {k: {int(n): v for n, v in by_n.items()} for k, by_n in results[part].items()}
        out_dir = (args.out or args.rerender.parent).resolve()
        out_dir.mkdir(parents=True, exist_ok=True)
        (out_dir / "scale.svg").write_text(plot(results))
        (out_dir / "results.md").write_text(report(results, "scale.svg"))
        return
    plan = QUICK if args.quick else FULL
    out_dir = (args.out or (BENCH / "out" / "quick" if args.quick else BENCH)).resolve()
    raw_dir = out_dir if args.quick or args.out else BENCH / "out"
    out_dir.mkdir(parents=True, exist_ok=True)
    raw_dir.mkdir(parents=True, exist_ok=True)
    python = shutil.which(args.python) or args.python

    began = time.perf_counter()
    jdk = jdk_home()
    results = {"quick": args.quick, "sizes": plan["sizes"], "machine": machine(python, jdk)}
    compile_java(jdk)
    others = results["machine"]["others_cpu"] = {}
    for part, measure_part in (
            ("parity", lambda: seed_parity(python, jdk, plan["parity_repeats"])),
            ("scale", lambda: scale_in_processes(python, jdk, plan["sizes"], plan["repeats"], plan["pool_seconds"])),
            ("kernel_scale", lambda: scale_in_kernel(plan["kernel_sizes"], plan["kernel_repeats"])),
            ("virtual_time", lambda: virtual_time(jdk, plan["virtual_warm"], plan["virtual_repeats"])),
            ("kernel_start", lambda: kernel_starts(plan["cold_repeats"], lesson_03=not args.quick)),
            ("notebooks", lambda: notebook_times(plan["notebooks"]))):
        before = cpu_snapshot()
        results[part] = measure_part()
        others[part] = others_share(before, cpu_snapshot())
    results["pool_seconds"] = plan["pool_seconds"]
    results["machine"]["load_after"] = os.getloadavg()
    results["elapsed_minutes"] = (time.perf_counter() - began) / 60

    (raw_dir / ("results.json" if args.quick or args.out else "results-full.json")).write_text(
        json.dumps(results, indent=1, default=str))
    (out_dir / "scale.svg").write_text(plot(results))
    (out_dir / "results.md").write_text(report(results, "scale.svg") + hub_class_section(args.quick, raw_dir))
    log(f"done in {results['elapsed_minutes']:.1f} min: {out_dir / 'results.md'}")


if __name__ == "__main__":
    main()
