"""The report of a benchmark run: bench/results.md, and its chart bench/scale.svg drawn by the
helper jar's chart (bench/java/ScaleChart.java), so the bench and the lessons draw alike."""
from __future__ import annotations

import math

from kernel_start import kernel_start_lines
from machine import disturbance
from measure import CORES, FLOOR, fmt, java, table
from parity import WAYS
from scale import BENCH_HEAP, LARGE_POOL, pool_threads

APPROACHES = {  # key: its label in the tables and on the chart (whose colours are the jar's)
    "asyncio": "Python asyncio.gather",
    "virtual": "Java virtual threads",
    "delayed": "Java CompletableFuture + delayedExecutor",
    "pool-cores": f"Java fixed pool, {CORES} threads (cores)",
    "pool-large": f"Java fixed pool, {LARGE_POOL:,} threads",
    "kernel-virtual": "virtual threads in the Java kernel",
    "kernel-delayed": "delayedExecutor in the Java kernel",
}
CHART_LABELS = {  # the same, short enough for the chart's legend column
    "asyncio": "asyncio.gather", "virtual": "virtual threads", "delayed": "delayedExecutor",
    "pool-cores": f"pool of {CORES}", "pool-large": f"pool of {LARGE_POOL:,}",
    "kernel-virtual": "kernel: virtual", "kernel-delayed": "kernel: delayed",
}


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
            rows.append([f"{n:,}", APPROACHES[key], fmt(s["seconds"]), f"{s['seconds']['median'] / FLOOR:.2f}",
                         f"{ratio:.2f}", f"{s['peak_rss_mb']['median']:.0f}"])
    out += [table(["n", "way", "seconds", "÷ floor", "÷ asyncio", "peak RSS MiB"], rows), ""]
    cut = []
    for key in ("pool-cores", "pool-large"):
        ran = sorted(r["scale"][key])
        skipped = [n for n in r["sizes"] if n not in r["scale"][key]]
        if skipped:
            first = skipped[0]
            cut.append(f"- {APPROACHES[key]}: run up to n = {ran[-1]:,} only; a pool of "
                       f"{pool_threads(key):,} threads fetches in waves of {pool_threads(key):,}, so n = {first:,} "
                       f"would take about {math.ceil(first / pool_threads(key)):,} s (cut off beyond "
                       f"{r['pool_seconds']:g} s of expected waiting).")
    out += ["Platform pools are cut off where they stop being sane:", "", *cut, ""]

    out += ["### Inside the Java kernel", "",
            "The same sizes run in a real JJava kernel through nbclient, with the setup cell and the "
            "methods of `notebooks/09-scale.ipynb` (timed with the helper's `measure`; the peak RSS is "
            "reset before each run and includes the kernel itself). This kernel runs with "
            f"`-Xmx{BENCH_HEAP}`: a million virtual threads do not fit in the lessons' default "
            "`KERNEL_HEAP` of 512m.", ""]
    rows = []
    for key, by_n in r["kernel_scale"].items():
        plain = r["scale"][key.removeprefix("kernel-")]
        for n, s in sorted(by_n.items()):
            in_order = ", ".join(f"{v:.2f}" for v in s["seconds"].get("values", []))
            rows.append([f"{n:,}", APPROACHES[key], fmt(s["seconds"]), f"{s['seconds']['median'] / FLOOR:.2f}",
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


def plot(r: dict, jdk) -> str:
    """An SVG line chart of seconds against n (log scale), one line per way and the 1 s floor,
    drawn by the helper jar's chart (bench/java/ScaleChart.java reads the series on stdin)."""
    series = {key: {n: s["seconds"]["median"] for n, s in by_n.items()} for key, by_n in r["scale"].items()}
    series.update({key: {n: s["seconds"]["median"] for n, s in by_n.items()} for key, by_n in r["kernel_scale"].items()})
    lines = [f"n fake one-second fetches at once ({r['machine']['cores']} cores)"]
    lines += [CHART_LABELS[key] + "\t" + " ".join(f"{n} {t}" for n, t in sorted(points.items()))
              for key, points in series.items() if points]
    sizes = sorted({n for v in series.values() for n in v} | set(r["sizes"]))
    lines.append(f"floor: one fetch\t{sizes[0]} {FLOOR} {sizes[-1]} {FLOOR}")
    return java(jdk, "ScaleChart", stdin="\n".join(lines) + "\n")
