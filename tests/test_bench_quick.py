"""`make bench` in quick mode (small n, one run each), so the benchmark code cannot rot.

It checks that the report is produced and well formed, never how fast anything was: benchmarks
report, they do not pass or fail on speed. Output goes to bench/out/pytest/ (git-ignored).
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from course import nbrun

OUT = nbrun.ROOT / "bench" / "out" / "pytest"

pytestmark = [pytest.mark.slow, pytest.mark.kernel, pytest.mark.xdist_group("bench")]   # one worker runs the quick bench once
NUMBER = r"\d+\.\d+(?: \(\d+\.\d+–\d+\.\d+\))?"


@pytest.fixture(scope="module")
def report():
    done = subprocess.run([sys.executable, str(nbrun.ROOT / "bench" / "run.py"), "--quick", "--out", str(OUT)],
                          capture_output=True, text=True, timeout=900, cwd=nbrun.ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    return (OUT / "results.md").read_text()


def tables(markdown: str) -> list[list[list[str]]]:
    found, current = [], []
    for line in markdown.splitlines() + [""]:
        if line.startswith("|"):
            current.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif current:
            found.append(current)
            current = []
    return found


def section(markdown: str, heading: str) -> str:
    start = markdown.index(heading)
    rest = markdown[start + len(heading):]
    following = re.search(r"^##? ", rest, re.M)
    return rest[:following.start()] if following else rest


def test_the_report_has_every_part(report):
    for heading in ("# Benchmarks (quick mode)", "## Machine", "## 1. Seed parity", "## 2. Scale",
                    "### Inside the Java kernel", "## 3. The kernel", "## 4. Virtual time"):
        assert heading in report, heading
    machine = section(report, "## Machine")
    assert re.search(r"- \d+ cores", machine)
    assert re.search(r"JDK: .*\d+\.\d+", machine) and re.search(r"python3: 3\.\d+", machine)
    assert re.search(r"on \d{4}-\d\d-\d\d \d\d:\d\d UTC", report)


def test_every_table_is_well_formed(report):
    found = tables(report)
    assert len(found) >= 6
    for table in found:
        header, rule, *rows = table
        assert all(set(cell) <= set("-:") and cell for cell in rule), rule
        assert rows, f"an empty table: {header}"
        for row in rows:
            assert len(row) == len(header), (header, row)
            assert not any(cell.lower() in ("nan", "inf", "") for cell in row[:3]), row


def test_seed_parity_reports_both_triples(report):
    rows = tables(section(report, "## 1. Seed parity"))[0][2:]
    assert [row[0] for row in rows] == ["gathered", "as tasks", "sequential"]
    for row in rows:
        assert re.fullmatch(NUMBER, row[1]) and re.fullmatch(NUMBER, row[2]), row
        assert re.fullmatch(r"[+-]\d+\.\d{4}", row[3]) and row[4] in ("yes", "no"), row


def test_scale_covers_each_way_and_size(report):
    rows = tables(section(report, "## 2. Scale"))[0][2:]
    seen = {(row[0], row[1]) for row in rows}
    for n in ("1", "10", "100"):
        for way in ("Python asyncio.gather", "Java virtual threads", "Java CompletableFuture + delayedExecutor"):
            assert (n, way) in seen, (n, way)
    for row in rows:
        assert re.fullmatch(NUMBER, row[2]) and float(row[2].split()[0]) > 0, row
        assert re.fullmatch(r"\d+\.\d\d", row[3]) and re.fullmatch(r"\d+\.\d\d", row[4]), row
        assert re.fullmatch(r"\d+", row[5]), row
    assert "cut off" in section(report, "## 2. Scale")
    kernel = tables(section(report, "### Inside the Java kernel"))[0][2:]
    assert {row[1] for row in kernel} == {"virtual threads in the Java kernel", "delayedExecutor in the Java kernel"}


def test_kernel_and_virtual_time_are_reported(report):
    starts, notebooks = tables(section(report, "## 3. The kernel"))
    assert [row[0] for row in starts[2:]] == ["Java (JJava), cold: the first kernel of a server",
                                              "Java (JJava), from a warm spare: every later one",
                                              "Python (ipykernel)"]
    assert all(re.fullmatch(r"\d+", row[4]) for row in starts[2:]), starts   # RSS MiB
    assert re.search(r"from a warm spare answers its first cell in \*\*\d+\.\d\d×\*\*",
                     section(report, "## 3. The kernel"))
    assert notebooks[-1][0] == "**total**" and len(notebooks) >= 4
    virtual = tables(section(report, "## 4. Virtual time"))[0][2:]
    assert [row[0] for row in virtual] == ["VirtualClock, blocking fetch", "VirtualClock, async fetch",
                                           "real delay, blocking fetch"]


def test_the_plot_and_raw_figures_are_written(report):
    svg = ET.parse(OUT / "scale.svg").getroot()
    ns = "{http://www.w3.org/2000/svg}"
    assert svg.tag == f"{ns}svg"
    assert svg.find(f"{ns}title") is not None and svg.find(f"{ns}desc") is not None
    lines = [p for p in svg.iter(f"{ns}path") if p.get("fill") == "none" and p.get("stroke-width") == "2"]
    assert len(lines) >= 5   # one line per way (the jar's Chart draws each series as a path)
    raw = json.loads((OUT / "results.json").read_text())
    assert raw["quick"] is True and {"parity", "scale", "kernel_scale", "kernel_start", "notebooks",
                                     "virtual_time", "machine"} <= set(raw)
