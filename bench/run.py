"""The course's benchmarks: `make bench` (full) and `make bench-quick` (small sizes, one run each).

Four parts, all run in this one invocation on this machine:
  1. seed parity: the guide's program in Python (bench/python/asyncapp.py, run with the machine's
     python3) against the same program in Java through the helper jar (bench/java/SeedParity.java);
  2. scale: n fake one-second fetches at once, from 1 to 1,000,000: asyncio.gather, virtual threads,
     CompletableFuture with delayedExecutor, and fixed platform pools where they are still sane;
     each in a fresh process (seconds and peak RSS), and the largest sizes again inside the real
     Java kernel through nbclient, with the methods of notebooks/09-scale.ipynb;
  3. the kernel: cold start to the first executed cell (Java kernel against ipykernel) and the time
     each notebook takes to run headless;
  4. virtual time: the "one-second" fetch test on a VirtualClock against the same with a real delay.

One file per part (parity.py, scale.py, kernel_start.py, virtual_time.py; the class on the hub is
hub_class.py, full run only), the machine (machine.py), the report and its chart (report.py), and
what they share (measure.py); this file runs them. Each figure is the median of a few runs with
min and max. Benchmarks report; they never fail on speed. Full run: bench/results.md and bench/scale.svg (committed), raw figures in bench/out/.
Quick run: everything in bench/out/quick/ (git-ignored).

    .venv/bin/python bench/run.py [--quick] [--python python3] [--out DIR]
    .venv/bin/python bench/run.py --only kernel_start     (the kernel-start part alone, ~1 min)
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import shutil
import sys
import time

from kernel_start import SPARE, kernel_start_lines, kernel_starts, notebook_times
from machine import cpu_snapshot, machine, others_share
from measure import BENCH, compile_java, jdk_home, log, run
from parity import seed_parity
from report import plot, report
from scale import SANE_SECONDS, scale_in_kernel, scale_in_processes
from virtual_time import virtual_time

FULL = dict(sizes=[1, 10, 100, 1_000, 10_000, 100_000, 1_000_000], repeats=3, parity_repeats=3,
            kernel_sizes=[100_000, 1_000_000], kernel_repeats=3, cold_repeats=3,
            notebooks="lessons", virtual_warm=20, virtual_repeats=3, pool_seconds=SANE_SECONDS)


QUICK = dict(sizes=[1, 10, 100], repeats=1, parity_repeats=1, kernel_sizes=[100], kernel_repeats=1,
             cold_repeats=1, notebooks=["00-start-here.ipynb"], virtual_warm=3, virtual_repeats=1,
             pool_seconds=2)


def hub_class_section(quick: bool, raw_dir: pathlib.Path) -> str:
    """A class on `make hub`: 10 learners run lesson 04 at once (bench/hub_class.py); not in quick mode."""
    if quick:
        return ""   # tests/test_hub.py drives the same class (3 learners) in `make test`
    out = raw_dir / "hub-class.json"
    log("a class of 10 learners on JupyterHub (bench/hub_class.py)")
    text = run([sys.executable, str(BENCH / "hub_class.py"), "10", "--out", str(out)], timeout=900)
    return "\n## A class on JupyterHub (`make hub`)\n\n" + text.strip() + "\n"


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
        jdk = jdk_home()
        compile_java(jdk)
        (out_dir / "scale.svg").write_text(plot(results, jdk))
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
    (out_dir / "scale.svg").write_text(plot(results, jdk))
    (out_dir / "results.md").write_text(report(results, "scale.svg") + hub_class_section(args.quick, raw_dir))
    log(f"done in {results['elapsed_minutes']:.1f} min: {out_dir / 'results.md'}")


if __name__ == "__main__":
    main()
