"""Part 2, scale: n fake one-second fetches at once, from 1 to 1,000,000: asyncio.gather, virtual
threads, CompletableFuture with delayedExecutor, and fixed platform pools where they are still
sane; each in a fresh process (seconds and peak RSS), and the largest sizes again inside the real
Java kernel through nbclient, with the methods of notebooks/09-scale.ipynb."""
from __future__ import annotations

import json
import math
import os
import pathlib
import re

import nbformat

from course import nbrun
from course.paths import BUILD, NOTEBOOKS
from measure import BENCH, CORES, SCALE_NOTEBOOK, java, json_line, log, run, summary

LARGE_POOL = 1000          # threads in the "large" fixed platform pool
SANE_SECONDS = 5           # a platform pool runs only where ceil(n / threads) stays within this


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
    """The setup cell of 09-scale and the cells declaring `content` and the methods the bench calls."""
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
    from jupyter_client.kernelspec import KernelSpecManager
    spec = json.loads((pathlib.Path(KernelSpecManager().get_kernel_spec("java").resource_dir)
                       / "kernel.json").read_text())
    spec["argv"] = [a for a in spec["argv"] if not a.startswith("-Xmx")]
    spec["argv"].insert(1, f"-Xmx{heap}")
    spec["display_name"] = f"Java (bench, -Xmx{heap})"
    root = BUILD / "bench-kernels"
    (root / "kernels" / "java-bench").mkdir(parents=True, exist_ok=True)
    (root / "kernels" / "java-bench" / "kernel.json").write_text(json.dumps(spec, indent=1))
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(root), os.environ.get("JUPYTER_PATH")]))
    return "java-bench"


def scale_in_kernel(sizes: list[int], repeats: int) -> dict:
    source = nbformat.read(SCALE_NOTEBOOK, as_version=4)
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": source.metadata["kernelspec"]})
    nb.cells = [nbformat.v4.new_code_cell(c) for c in scale_notebook_cells(source)]
    nb.cells.append(nbformat.v4.new_code_cell(KERNEL_HELPERS))
    for i in range(repeats):
        for n in sizes:
            for key, method in KERNEL_METHODS.items():
                nb.cells.append(nbformat.v4.new_code_cell(KERNEL_MEASURE.format(method=method, n=f"{n:_}", key=key)))
    log(f"scale inside the Java kernel: n in {sizes}, {repeats} run(s) each")
    nbrun.notebook_client(nb, NOTEBOOKS, timeout=600, allow_errors=False, kernel_name=bench_kernel()).execute()
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
