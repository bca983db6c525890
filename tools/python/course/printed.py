"""The lines the helper jar prints that Python reads back, each pattern written once, here.

Each pattern names the Java that prints it; tests/test_printed.py runs that Java (the jar on the
course's JDK) and matches its output with these patterns, so a change of format on one side fails
there rather than as a puzzling miss in a lesson's test.
"""
from __future__ import annotations

import re

# asynclab.timing.Seconds.line (through Lab.time / Timed): `Execution time: 1.00 seconds.`; with
# a label, Lab.time(label, ...) prints `label: Execution time: 1.00 seconds.`
TIME_LINE = re.compile(r"Execution time: (\d+\.\d\d) seconds\.")
# The same line with more decimals: bench/python/asyncapp.py --digits 4, bench/java/SeedParity.java
TIME_LINE_ANY_DIGITS = re.compile(r"Execution time: (\d+\.\d+) seconds\.")

# asynclab.timeline.GanttText.render (Timeline.text()): one task a line,
# `  label    |   ████     | 0.00–1.00 s`, the range by Seconds.range.
BAR = r"^\s+{label}\s+\|[^|]*\| (\d+\.\d\d)–(\d+\.\d\d) s"


def times(text: str) -> list[float]:
    """The figures of every `Execution time` line in `text`, in order."""
    return [float(s) for s in TIME_LINE.findall(text)]


def seconds(text: str, label: str) -> float:
    """The figure of a labelled timing line, `label: Execution time: 1.00 seconds.`"""
    found = re.search(re.escape(label) + ": " + TIME_LINE.pattern, text)
    assert found, f"no timing line for {label!r}"
    return float(found.group(1))


def bar(text: str, label: str) -> tuple[float, float]:
    """Start and end, in seconds, of a task's bar in a timeline's text form."""
    found = re.search(BAR.format(label=re.escape(label)), text, re.M)
    assert found, f"no bar for {label!r} in:\n{text}"
    return float(found.group(1)), float(found.group(2))
