"""Part 1, seed parity: the guide's program in Python (bench/python/asyncapp.py, run with the
machine's python3) against the same program in Java through the helper jar
(bench/java/SeedParity.java), each in a fresh process."""
from __future__ import annotations

import pathlib

from course.printed import TIME_LINE_ANY_DIGITS
from measure import BENCH, java, log, run, summary

WAYS = ["gathered", "as tasks", "sequential"]


def seed_parity(python: str, jdk: pathlib.Path, repeats: int) -> dict:
    runs = {"python": [], "java": [], "java_second_round": []}
    for i in range(repeats):
        log(f"seed parity, run {i + 1} of {repeats}")
        runs["python"].append([float(x) for x in TIME_LINE_ANY_DIGITS.findall(
            run([python, str(BENCH / "python" / "asyncapp.py"), "--digits", "4"]))])
        figures = [float(x) for x in TIME_LINE_ANY_DIGITS.findall(java(jdk, "SeedParity", "2"))]
        runs["java"].append(figures[:3])
        runs["java_second_round"].append(figures[3:6])
    out = {}
    for side, triples in runs.items():
        out[side] = [summary([t[k] for t in triples]) for k in range(3)]
    out["difference"] = [out["java"][k]["median"] - out["python"][k]["median"] for k in range(3)]
    return out
