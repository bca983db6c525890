"""Part 4, virtual time: the "one-second" fetch test on a VirtualClock against the same with a
real delay (bench/java/VirtualTime.java), in real milliseconds."""
from __future__ import annotations

import pathlib

from measure import java, json_line, log, summary


def virtual_time(jdk: pathlib.Path, warm: int, repeats: int) -> dict:
    runs = []
    for i in range(repeats):
        log(f"virtual time, run {i + 1} of {repeats}")
        runs.append(json_line(java(jdk, "VirtualTime", str(warm), "1")))
    return {test: {key: summary([r[test][key] for r in runs]) for key in ("first_ms", "warm_median_ms", "warm_max_ms")}
            for test in runs[0]}
