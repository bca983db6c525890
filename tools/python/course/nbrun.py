"""Runs notebooks through the real Java kernel and reads what a learner would see.

Each run starts a fresh kernel from the project's .venv kernelspecs with the notebook's own folder
as working directory (as JupyterLab does), so `%classpath ../lib/*.jar` resolves the same way.
"""
from __future__ import annotations

import contextlib
import copy
import fcntl
import os
import pathlib
import re
import subprocess
import sys

import nbformat
from nbclient import NotebookClient

from course import printed
from course.paths import LESSONS, NOTEBOOKS, ROOT, lessons, solutions  # noqa: F401 (the tests' names)
from course.printed import TIME_LINE, bar, seconds  # noqa: F401 (the tests' names)


def read(path: pathlib.Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


# Cells wrapped around every execution: threads the notebook left running when it ended, non-daemon
# platform threads and virtual threads (which Thread.getAllStackTraces() does not list: they come
# from the JSON thread dump, JDK 21+). A dump that fails makes the last cell fail, never pass.
THREADS_BEFORE = r"""java.util.function.Supplier<java.util.Map<Long, String>> courseThreads = () -> {
    var alive = new java.util.HashMap<Long, String>();
    for (Thread t : Thread.getAllStackTraces().keySet())
        if (t.isAlive() && !t.isDaemon()) alive.put(t.threadId(), t.getName());
    try {
        var file = java.nio.file.Files.createTempFile("threads", ".json");
        java.nio.file.Files.delete(file);
        java.lang.management.ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class)
            .dumpThreads(file.toString(), com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
        var m = java.util.regex.Pattern.compile("\"tid\": \"(\\d+)\",(?:\\s*\"time\": \"[^\"]*\",)?"
            + "\\s*\"virtual\": true,\\s*\"name\": \"([^\"]*)\"").matcher(java.nio.file.Files.readString(file));
        java.nio.file.Files.delete(file);
        while (m.find())
            alive.put(Long.parseLong(m.group(1)), m.group(2).isEmpty() ? "virtual #" + m.group(1) : m.group(2));
    } catch (Exception e) {
        throw new IllegalStateException("no thread dump: " + e, e);
    }
    return alive;
};
var courseThreadsAtStart = java.util.Set.copyOf(courseThreads.get().keySet());"""
# Not the notebook's: the kernel's own threads (jjava-*) and the JDK's I/O pollers for virtual
# threads (SubPoller-N, sun.nio.ch.Poller on Linux), started once per JVM at the first socket
# read on a virtual thread and kept for the JVM's life.
THREADS_AFTER = """Thread.sleep(300);
courseThreads.get().entrySet().stream()
    .filter(e -> !courseThreadsAtStart.contains(e.getKey())).map(e -> e.getValue())
    .filter(n -> !n.startsWith("jjava-") && !n.startsWith("SubPoller-")).sorted().toList()"""


ONE_CPU_JVM = "-XX:ActiveProcessorCount=1"   # the JVM sizes itself as on a one-CPU machine


def first_exercise_cell(nb) -> int:
    """The index of the first code cell after the `## Exercises` heading (0 if there is none)."""
    heading = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
                    and c.source.startswith("## Exercises")), None)
    if heading is None:
        return 0
    return next((i for i, c in enumerate(nb.cells) if i > heading and c.cell_type == "code"), 0)


@contextlib.contextmanager
def one_busy_cpu(client: NotebookClient, from_cell: int = 0, cpu: int = 0):
    """Runs the client's kernel as on a one-CPU machine that a CPU-bound neighbour keeps busy (a
    Binder-sized machine on a bad day) from cell `from_cell` on: the JVM starts sized for one CPU
    (ONE_CPU_JVM: one carrier thread, a common pool of one), and when that cell is about to run,
    a neighbour starts spinning on `cpu` and every thread of the kernel's JVM is pinned to it
    (`taskset -a`). One such neighbour at a time (a lock file, whatever the number of pytest
    workers), so a kernel never shares its CPU with more than the one neighbour. The cells before
    `from_cell` (a lesson's demonstrations, already run on their own) run at full speed."""
    lock = open(ROOT / "build" / "busy-cpu.lock", "w") if (ROOT / "build").is_dir() else None
    neighbour = None

    def squeeze(cell_index=0, **_):
        nonlocal neighbour
        if cell_index < from_cell or neighbour is not None:
            return
        if lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
        neighbour = subprocess.Popen(["taskset", "-c", str(cpu), sys.executable, "-c", "while True: pass"])
        subprocess.run(["taskset", "-a", "-p", "-c", str(cpu), str(client.km.provisioner.pid)],
                       check=True, capture_output=True)
    client.on_cell_execute = squeeze
    try:
        yield {"env": {**os.environ, "JDK_JAVA_OPTIONS": ONE_CPU_JVM}}
    finally:
        if neighbour is not None:
            neighbour.kill()
            neighbour.wait()
        if lock:
            lock.close()   # releases the flock


def notebook_client(nb, cwd: pathlib.Path, timeout: int = 120, allow_errors: bool = True,
                    **options) -> NotebookClient:
    """The one way the course builds an nbclient runner: cells get `timeout` seconds, the kernel
    180 to start, the notebook's folder as the kernel's working directory (as JupyterLab does);
    `options` go to NotebookClient (kernel_name, ...)."""
    return NotebookClient(nb, timeout=timeout, startup_timeout=180, allow_errors=allow_errors,
                          interrupt_on_timeout=False, resources={"metadata": {"path": str(cwd)}},
                          **options)


def execute(nb_or_path, cwd: pathlib.Path | None = None, timeout: int = 120,
            allow_errors: bool = True, one_cpu: bool = False) -> nbformat.NotebookNode:
    """Executes a copy of the notebook; every cell gets `timeout` seconds, the kernel 180 to start.

    The names of non-daemon platform threads and virtual threads still alive at the end (and not
    there at the start; an unnamed virtual thread as `virtual #id`) are left in
    `nb.metadata["stray_threads"]`; the probe cells themselves are removed again. With `one_cpu`,
    the kernel runs as on one busy CPU (`one_busy_cpu`) from the first exercise cell on.
    """
    if isinstance(nb_or_path, (str, pathlib.Path)):
        path = pathlib.Path(nb_or_path)
        nb, cwd = read(path), cwd or path.parent
    else:
        nb = copy.deepcopy(nb_or_path)
    nb.cells.insert(0, nbformat.v4.new_code_cell(THREADS_BEFORE))
    nb.cells.append(nbformat.v4.new_code_cell(THREADS_AFTER))
    client = notebook_client(nb, cwd or NOTEBOOKS, timeout=timeout, allow_errors=allow_errors)
    try:
        with one_busy_cpu(client, first_exercise_cell(nb)) if one_cpu else contextlib.nullcontext({}) as kernel:
            client.execute(**kernel)
    finally:
        first, last = nb.cells.pop(0), nb.cells.pop()
    nb.metadata["stray_threads"] = text_of(last).strip() if not errors_of(first) else "probe failed"
    return nb


def errors_of(cell) -> list:
    return [o for o in cell.get("outputs", []) if o.output_type == "error"]


def code_cells(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def text_of(cell) -> str:
    """Everything a cell printed or returned as text, in order."""
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def all_text(nb) -> str:
    return "\n".join(text_of(c) for c in code_cells(nb))


def errors(nb) -> list[str]:
    """Error outputs and anything written to stderr, with the cell that produced it."""
    found = []
    for i, cell in enumerate(code_cells(nb)):
        for out in cell.get("outputs", []):
            if out.output_type == "error" or (out.output_type == "stream" and out.name == "stderr"):
                found.append(f"cell {i}: {cell.source[:60]!r} -> {text_of({'outputs': [out]})[:400]}")
    return found


def times(nb) -> list[float]:
    return printed.times(all_text(nb))


def rich_outputs(nb, mime: str) -> list[str]:
    return [out.data[mime] for c in code_cells(nb) for out in c.get("outputs", [])
            if out.output_type in ("display_data", "execute_result") and mime in out.get("data", {})]


def drawings(nb) -> list[str]:
    """Every SVG picture the notebook shows, as an image or inline in HTML."""
    pictures = rich_outputs(nb, "image/svg+xml") + rich_outputs(nb, "text/html")
    return [p for p in pictures if "<svg" in p]


def tagged(nb, tag: str):
    return [c for c in nb.cells if tag in c.get("metadata", {}).get("tags", [])]


def cell_with(nb, snippet: str):
    """The one code cell whose source contains `snippet`."""
    found = [c for c in code_cells(nb) if snippet in c.source]
    assert len(found) == 1, f"{len(found)} cells contain {snippet!r}"
    return found[0]


def output_of(nb, snippet: str) -> str:
    """What the one code cell whose source contains `snippet` printed (text_of)."""
    return text_of(cell_with(nb, snippet))


STACK_TRACE = re.compile(r"^\s+at \S+\(|Exception in thread", re.M)


def prose(name: str) -> str:
    """All markdown of a lesson, for tests of what it says (its shape is test_structure's job)."""
    return "\n".join(c.source for c in read(NOTEBOOKS / f"{name}.ipynb").cells if c.cell_type == "markdown")
