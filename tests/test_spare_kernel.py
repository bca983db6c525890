"""The spare kernel (kernel/python/asynclab_kernel/spare.py, kernel/java/asynclab/kernel/Spare.java).

A Jupyter server keeps one Java kernel warm and hands it the next kernel it starts. These tests run
a real `jupyter server` and the provisioner in this process; the speed it buys is measured by the
benchmark (bench/results.md), not here. Every other test runs with spares off (conftest.py).
"""
import json
import os
import queue
import secrets
import signal
import time
import urllib.request
from pathlib import Path

import jupyter_client
import pytest

from course import kernel, nbrun
from course.net import ServerProcess, free_port, wait_for
from asynclab_kernel import spare

ROOT = Path(__file__).resolve().parent.parent
SPARES_ON = {"ASYNCLAB_SPARE_KERNELS": "1", "ASYNCLAB_SPARE_DELAY": "0"}
pytestmark = pytest.mark.kernel


def spares_of(parent: int) -> list[int]:
    """Pids of the spare JVMs (`--spare` on their command line) whose parent is `parent`."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            args = (entry / "cmdline").read_bytes().split(b"\0")
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if b"--spare" in args and int(stat.rsplit(")", 1)[1].split()[1]) == parent:
            found.append(int(entry.name))
    return found


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"


def run(client, code: str) -> dict:
    """One cell on a kernel client: its text (stripped) and the names of its errors."""
    result = kernel.Session(None, client).run(code)
    return {"text": result["text"].strip(), "errors": [e.split(":")[0] for e in result["errors"]]}


class Server(ServerProcess):
    """`jupyter server` on 127.0.0.1 with a token, spares on (unless `spares` is false), its
    kernels' files in `scratch`."""

    name = "jupyter server"

    def __init__(self, scratch: Path, spares: bool = True):
        super().__init__(scratch / "server.log")
        self.scratch, self.port, self.token = scratch, free_port(), secrets.token_hex(16)
        env = dict(os.environ, **(SPARES_ON if spares else {"ASYNCLAB_SPARE_KERNELS": "0"}),
                   JUPYTER_RUNTIME_DIR=str(scratch / "runtime"),
                   JUPYTER_CONFIG_DIR=str(scratch / "config"))
        self.start_process(
            [str(ROOT / ".venv/bin/jupyter"), "server", "--ip=127.0.0.1", f"--port={self.port}",
             "--port-retries=0", f"--IdentityProvider.token={self.token}", "--no-browser",
             f"--ServerApp.root_dir={nbrun.NOTEBOOKS}", "--allow-root"], 60, env=env)

    def answers(self) -> bool:
        try:
            return self.call("GET", "/api/status") is not None
        except OSError:
            return False

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}", method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=120) as answer:
            return json.loads(answer.read() or b"null")

    def open_notebook(self, name: str, kernel: str):
        """A session as JupyterLab makes it for a notebook; a client on its kernel, once ready."""
        session = self.call("POST", "/api/sessions", {"path": name, "type": "notebook",
                                                      "kernel": {"name": kernel}})
        connection = self.scratch / "runtime" / f"kernel-{session['kernel']['id']}.json"
        client = jupyter_client.BlockingKernelClient(connection_file=str(connection))
        client.load_connection_file()
        client.start_channels()
        ready(client)
        return client


def ready(client, seconds: float = 120) -> None:
    """jupyter_client's wait_for_ready, less its heartbeat check (which needs a KernelManager):
    a kernel_info reply, then any message on IOPub, so the client's subscription is in place."""
    def answered() -> bool:
        client.kernel_info()
        try:
            client.get_shell_msg(timeout=2)
            client.get_iopub_msg(timeout=0.5)
            return True
        except queue.Empty:
            return False
    wait_for(answered, seconds, f"the kernel did not answer within {seconds} s")


def pid_of(client) -> int:
    return int(run(client, "ProcessHandle.current().pid()")["text"])


@pytest.fixture
def server(tmp_path):
    s = Server(tmp_path)
    kernels = []
    yield s, kernels
    if s.process.poll() is None:
        os.killpg(s.process.pid, signal.SIGTERM)
        s.process.wait(timeout=60)
    for pid in kernels:              # kernels outlive a killed server, as Jupyter's always do
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    s.log.close()


def test_the_next_kernel_a_server_starts_is_its_warm_spare(server):
    s, kernels = server
    first = s.open_notebook("first.ipynb", "java-preview")
    kernels.append(pid_of(first))
    waiting = wait_for(lambda: spares_of(s.process.pid), 60, "no spare started after the first kernel")
    second = s.open_notebook("second.ipynb", "java-preview")
    kernels.append(pid_of(second))
    assert kernels[1] == waiting[0], f"the second kernel is {kernels[1]}, the spare was {waiting}"
    assert run(second, "System.getProperty(\"user.dir\")")["text"] == str(nbrun.NOTEBOOKS)
    # the kernelspec's environment reached the spare: JJAVA_COMPILER_OPTS enables preview APIs
    assert run(second, "StructuredTaskScope.class.getSimpleName()")["text"] == "StructuredTaskScope"
    # nothing of the warm-up (a class Shop, a variable shop) is visible to the notebook
    assert run(second, "new Shop()")["errors"] == ["CompilationException"]
    assert run(second, "shop")["errors"] == ["CompilationException"]
    assert run(second, "1 + 1")["text"] == "2"
    following = wait_for(lambda: spares_of(s.process.pid), 60, "no new spare after the handover")
    for client in (first, second):
        client.stop_channels()
    os.killpg(s.process.pid, signal.SIGTERM)                     # Ctrl-C, as a learner stops it
    s.process.wait(timeout=60)
    for pid in [*kernels, *following]:
        wait_for(lambda: not alive(pid), 30, f"process {pid} outlived its stopped server")


def test_a_spare_does_not_outlive_a_killed_server(server):
    s, kernels = server
    client = s.open_notebook("only.ipynb", "java")
    kernels.append(pid_of(client))
    client.stop_channels()
    waiting = wait_for(lambda: spares_of(s.process.pid), 60, "no spare started")
    s.process.kill()
    s.process.wait()
    wait_for(lambda: not alive(waiting[0]), 30, "the spare outlived its killed server")


@pytest.fixture
def spares(monkeypatch):
    """Spares on for kernels this test process starts; every spare stopped afterwards."""
    for name, value in SPARES_ON.items():
        monkeypatch.setenv(name, value)
    yield spare.SPARES
    spare.SPARES.stop_all()


def started(cwd: Path, env: dict | None = None):
    km = jupyter_client.KernelManager(kernel_name="java")
    km.start_kernel(cwd=str(cwd), env={**os.environ, **(env or {})})
    return km


def next_spare(old: int | None = None) -> int:
    """The spare that replaces `old` (which must have stopped), once it has started."""
    if old is not None:
        wait_for(lambda: not alive(old), 30, f"the unused spare {old} was not stopped")
    return wait_for(lambda: [p for p in spares_of(os.getpid()) if p != old], 60, "no spare started")[0]


def test_a_spare_serves_only_its_own_folder_and_environment(spares):
    kms = [started(nbrun.NOTEBOOKS)]
    try:
        waiting = next_spare()
        kms.append(started(nbrun.NOTEBOOKS / "solutions"))          # another folder: cold
        assert kms[-1].provisioner.pid != waiting
        waiting = next_spare(waiting)                               # for solutions/ now
        kms.append(started(nbrun.NOTEBOOKS / "solutions", {"NBGRADER_EXECUTION": "autograde"}))
        assert kms[-1].provisioner.pid != waiting                   # another environment: cold
        waiting = next_spare(waiting)
        kms.append(started(nbrun.NOTEBOOKS / "solutions", {"NBGRADER_EXECUTION": "autograde"}))
        assert kms[-1].provisioner.pid == waiting                   # the same again: the spare
        client = kms[-1].client()
        client.start_channels()
        client.wait_for_ready(timeout=120)
        assert run(client, 'System.getenv("NBGRADER_EXECUTION")')["text"] == "autograde"
        client.stop_channels()
    finally:
        for km in kms:
            km.shutdown_kernel(now=True)


def test_with_no_spares_set_every_kernel_starts_cold(spares, monkeypatch):
    monkeypatch.setenv("ASYNCLAB_SPARE_KERNELS", "0")
    km = started(nbrun.NOTEBOOKS)
    try:
        time.sleep(3)
        assert spares_of(os.getpid()) == []
    finally:
        km.shutdown_kernel(now=True)


def test_lesson_03_prints_its_timings_in_a_kernel_from_a_spare(spares, monkeypatch):
    km = started(nbrun.NOTEBOOKS)
    waiting = next_spare()
    monkeypatch.setenv("ASYNCLAB_SPARE_DELAY", "3600")    # no new spare warms up beside the lesson
    km.shutdown_kernel(now=True)
    nb = nbrun.execute(nbrun.NOTEBOOKS / "04-gather-vs-sequential.ipynb")
    assert waiting not in spares.waiting() and not alive(waiting), \
        "the lesson's kernel was not the spare"
    assert nbrun.errors(nb) == []
    lines = nbrun.text_of(nbrun.tagged(nb, "app")[0]).strip().splitlines()
    gathered, tasks, sequential = (float(nbrun.TIME_LINE.fullmatch(line).group(1)) for line in lines)
    assert 0.9 <= gathered <= 1.6 and 0.9 <= tasks <= 1.6 and 1.9 <= sequential <= 2.9, lines
