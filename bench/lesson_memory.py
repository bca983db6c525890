"""Peak memory of every lesson's kernel at its default sizes: does each fit a Binder session?

Runs each lesson in notebooks/ top to bottom through the project's Java kernel (nbclient, as the
tests do) and reads the kernel JVM's resident-memory high-water mark (VmHWM in /proc) after every
cell, so the cell that raised the peak most is named. With --heap SIZE every kernel gets
-Xmx SIZE (as `make hub` gives them); without it the JVM sizes its heap from the machine.

Usage: python bench/lesson_memory.py [--heap 512m] [--kernel NAME] [--out FILE.json] [LESSON.ipynb ...]
       python bench/lesson_memory.py --table A.json B.json   (a markdown table of earlier runs)
"""
from __future__ import annotations

import argparse
import json
import os
import pathlib
import re
import sys
import time

import nbformat

from course import nbrun, paths


def high_water_mib(pid: int) -> float:
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def measure(path: pathlib.Path, timeout: int = 300, kernel: str | None = None) -> dict:
    nb = nbformat.read(path, as_version=4)
    if kernel:
        nb.metadata.kernelspec.name = kernel
    client = nbrun.notebook_client(nb, path.parent, timeout=timeout)
    started = time.monotonic()
    steps, errors = [], 0
    with client.setup_kernel():
        pid = client.km.provisioner.pid
        before = high_water_mib(pid)
        after_start = before
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            client.execute_cell(cell, index)
            errors += sum(o.output_type == "error" for o in cell.get("outputs", []))
            now = high_water_mib(pid)
            steps.append((now - before, index, cell.source.splitlines()[0][:70] if cell.source else ""))
            before = now
        peak = high_water_mib(pid)
    rise, index, first_line = max(steps) if steps else (0, None, "")
    return {"lesson": path.name, "peak_mib": round(peak, 1), "after_start_mib": round(after_start, 1),
            "largest_rise_mib": round(rise, 1), "largest_rise_cell": index,
            "largest_rise_first_line": first_line, "errors": errors,
            "kernel": nb.metadata.kernelspec.name, "cells": [[i, round(r, 1)] for r, i, _ in steps],
            "seconds": round(time.monotonic() - started, 1)}


def markdown(reports: list[dict]) -> str:
    """One row a lesson, one column a run (e.g. the JVM's default heap and -Xmx512m)."""
    heads = " | ".join(f"peak, heap {r['heap']} (MiB)" for r in reports)
    rows = [f"| lesson | kernel | {heads} |", "|---|---|" + "---:|" * len(reports)]
    for i, lesson in enumerate(reports[0]["lessons"]):
        peaks = " | ".join(f"{r['lessons'][i]['peak_mib']:.0f}" + (" (errors)" if r["lessons"][i]["errors"] else "")
                           for r in reports)
        kernel = next((r["lessons"][i].get("kernel") for r in reports if r["lessons"][i].get("kernel")), "")
        rows.append(f"| {lesson['lesson']} | {kernel} | {peaks} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*", type=pathlib.Path)
    parser.add_argument("--heap", help="-Xmx for every kernel, e.g. 512m (default: the JVM's own choice)")
    parser.add_argument("--kernel", help="run every lesson on this kernelspec (e.g. java-preview)")
    parser.add_argument("--out", type=pathlib.Path)
    parser.add_argument("--table", nargs="+", type=pathlib.Path, metavar="REPORT_JSON",
                        help="only print a markdown table of earlier reports, side by side")
    args = parser.parse_args()
    if args.table:
        print(markdown([json.loads(p.read_text()) for p in args.table]))
        return
    if args.heap:
        os.environ["JDK_JAVA_OPTIONS"] = f"-Xmx{args.heap}"
    lessons = args.lessons or paths.lessons()
    results = []
    for lesson in lessons:
        result = measure(lesson.resolve(), kernel=args.kernel)
        results.append(result)
        print(json.dumps(result), file=sys.stderr, flush=True)
    report = {"heap": args.heap or "JVM default", "lessons": results}
    if args.out:
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
