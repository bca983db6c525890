"""A class on the hub, driven for real: used by tests/test_hub.py and `make bench` (bench/hub_class.py).

`Hub` starts hub/launch.py with its own roster and state folder and stops it again; `run_class`
has every learner, at the same time and each with their own token, start their server through
the hub's REST API, open lesson 04 in a kernel (a session, as JupyterLab does) and run its cells
up to `app()`. Per learner it records the seconds to a running server and to an idle kernel, the
three `Execution time` lines of `app()`, and the resident memory of their kernel JVM and server.

The benchmark's command line is bench/hub_class.py.
"""
from __future__ import annotations

import asyncio
import contextlib
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import time
import uuid

import psutil
from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from course import printed
from course.net import ServerProcess, free_port, until_async
from course.paths import NOTEBOOKS, ROOT

HERE = ROOT / "hub"   # the hub's folder: hub/launch.py
LESSON = NOTEBOOKS / "04-gather-vs-sequential.ipynb"
AsyncHTTPClient.configure(None, max_clients=200)


def lesson_cells(path: pathlib.Path = LESSON) -> list[str]:
    """Lesson 04's code cells up to and including the one tagged `app` (the three timings)."""
    cells = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            cells.append("".join(cell["source"]))
            if "app" in cell["metadata"].get("tags", []):
                return cells
    raise ValueError(f"{path.name} has no cell tagged 'app'")


def rss_mib(process: psutil.Process) -> dict:
    """Resident memory now and at its peak (VmHWM), in MiB."""
    status = pathlib.Path(f"/proc/{process.pid}/status").read_text()
    peak = int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024
    return {"rss_mib": round(process.memory_info().rss / 2**20, 1), "peak_mib": round(peak, 1)}


def kernel_process(kernel_id: str) -> psutil.Process | None:
    for p in psutil.process_iter(["cmdline"]):
        if any(f"kernel-{kernel_id}.json" in part for part in (p.info["cmdline"] or [])):
            return p
    return None


class Hub(ServerProcess):
    """hub/launch.py on a free port with `names` in a roster of its own, state kept in `state`."""

    name = "the hub"
    failure = RuntimeError

    def __init__(self, state: pathlib.Path, names: list[str], port: int | None = None,
                 heap: str | None = None):
        super().__init__(pathlib.Path(state) / "hub.log")
        self.state, self.names = pathlib.Path(state), names
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.roster = self.state / "roster.txt"
        self.env = {**os.environ, "HUB_STATE": str(self.state)}
        if heap:
            self.env["KERNEL_HEAP"] = heap

    def launch(self, *extra: str, roster: pathlib.Path | None = None, port: int | None = None):
        """hub/launch.py with this hub's roster and state (a completed process with --check)."""
        command = [sys.executable, str(HERE / "launch.py"), "--port", str(port or self.port),
                   "--roster", str(roster or self.roster), *extra]
        return subprocess.run(command, env=self.env, capture_output=True, text=True, timeout=60)

    def answers(self) -> bool:
        try:
            asyncio.run(self.get("/hub/api/"))
            return True
        except (OSError, HTTPClientError):
            return False

    def start(self, timeout: float = 90) -> "Hub":
        self.state.mkdir(parents=True, exist_ok=True)
        self.roster.write_text("".join(f"{name}\n" for name in self.names))
        self.start_process([sys.executable, str(HERE / "launch.py"), "--port", str(self.port),
                             "--roster", str(self.roster)], timeout, env=self.env)
        return self

    def stop(self, timeout: float = 60) -> None:
        """Stops the hub (SIGINT, as Ctrl-C does): it stops every learner's server first."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(10)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def log_tail(self, lines: int = 25) -> str:
        return "\n".join(self.log_text(20000).splitlines()[-lines:])

    def secrets(self) -> dict:
        return json.loads((self.state / "secrets.json").read_text())

    def token(self, name: str) -> str:
        return self.secrets()[name]["token"]

    async def request(self, method: str, path: str, token: str | None = None, body=None,
                      timeout: float = 60, headers: dict | None = None, raw_body: str | None = None):
        """One HTTP request to the hub (JSON `body` or `raw_body`); never raises for a status."""
        headers = {**({"Authorization": f"token {token}"} if token else {}), **(headers or {})}
        request = HTTPRequest(self.url + path, method=method, headers=headers,
                              body=raw_body if body is None else json.dumps(body),
                              allow_nonstandard_methods=True, follow_redirects=False,
                              request_timeout=timeout)
        return await AsyncHTTPClient().fetch(request, raise_error=False)

    async def get(self, path: str, token: str | None = None):
        response = await self.request("GET", path, token)
        if response.code == 599:
            raise OSError(str(response.error))
        if response.code >= 400:
            raise HTTPClientError(response.code, response.reason, response)
        return json.loads(response.body or b"null")

    def processes(self) -> dict:
        """The hub's own processes: the hub, its proxy and the idle culler, in MiB."""
        found = {}
        if self.process:
            hub = psutil.Process(self.process.pid)
            found["hub"] = rss_mib(hub)
            for child in hub.children():
                line = " ".join(child.cmdline())
                if "configurable-http-proxy" in line:
                    found["proxy"] = rss_mib(child)
                elif "jupyterhub_idle_culler" in line:
                    found["idle_culler"] = rss_mib(child)
        return found


class Learner:
    """One learner at the keyboard: their own token, server and kernel, nothing else."""

    def __init__(self, hub: Hub, name: str, token: str | None = None):
        self.hub, self.name = hub, name
        self.token = token or hub.token(name)
        self.kernel_id = None
        self.socket = None
        self.session = uuid.uuid4().hex

    async def start_server(self, timeout: float = 180) -> float:
        started = time.monotonic()
        response = await self.hub.request("POST", f"/hub/api/users/{self.name}/server", self.token, body={})
        if response.code not in (201, 202, 400):   # 400: it is already running
            raise RuntimeError(f"{self.name}: starting the server answered {response.code} {response.body!r}")
        async def ready():
            user = await self.hub.get(f"/hub/api/users/{self.name}", self.token)
            return (user.get("servers", {}).get("") or {}).get("ready")
        if await until_async(ready, timeout - (time.monotonic() - started)):
            return time.monotonic() - started
        raise TimeoutError(f"{self.name}: no running server after {timeout:.0f} s")

    @contextlib.asynccontextmanager
    async def at_lesson(self):
        """Their server started and lesson 04 open in a kernel; the kernel shut down after."""
        await self.start_server()
        await self.open_lesson()
        try:
            yield self
        finally:
            await self.close()

    async def stop_server(self) -> None:
        await self.hub.request("DELETE", f"/hub/api/users/{self.name}/server", self.token)
        async def stopped():
            return not (await self.hub.get(f"/hub/api/users/{self.name}", self.token)).get("servers")
        if not await until_async(stopped, 60, 0.5):
            raise TimeoutError(f"{self.name}: the server did not stop")

    async def api(self, method: str, path: str, body=None, token: str | None = None):
        return await self.hub.request(method, f"/user/{self.name}/api/{path}", token or self.token, body=body)

    async def open_lesson(self, path: str = "notebooks/04-gather-vs-sequential.ipynb",
                          timeout: float = 180) -> float:
        """A session on the lesson with the Java kernel; seconds until the kernel answers, idle."""
        started = time.monotonic()
        response = await self.hub.request("POST", f"/user/{self.name}/api/sessions", self.token, timeout=timeout, body={
            "path": path, "name": pathlib.Path(path).name, "type": "notebook", "kernel": {"name": "java"}})
        if response.code != 201:
            raise RuntimeError(f"{self.name}: opening {path} answered {response.code} {response.body!r}")
        self.kernel_id = json.loads(response.body)["kernel"]["id"]
        url = self.hub.url.replace("http", "ws", 1) + \
            f"/user/{self.name}/api/kernels/{self.kernel_id}/channels?session_id={self.session}"
        self.socket = await websocket_connect(HTTPRequest(url, headers={"Authorization": f"token {self.token}"},
                                                          connect_timeout=timeout, request_timeout=timeout),
                                              max_message_size=64 * 2**20)
        deadline = started + timeout
        while True:   # an idle status in answer to kernel_info: what JupyterLab shows as "Idle"
            msg_id = await self.send("kernel_info_request", {})
            try:
                async for msg in self.replies(msg_id, min(5, max(0.1, deadline - time.monotonic()))):
                    pass
                return time.monotonic() - started
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.name}: the kernel was not idle after {timeout:.0f} s")

    async def send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        await self.socket.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": self.name,
                       "session": self.session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}))
        return msg_id

    async def replies(self, msg_id: str, timeout: float):
        """Yields the messages that answer msg_id until its idle status; TimeoutError past timeout."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{self.name}: no answer within {timeout:.0f} s")
            try:
                raw = await asyncio.wait_for(self.socket.read_message(), left)
            except asyncio.TimeoutError:
                raise TimeoutError(f"{self.name}: no answer within {timeout:.0f} s") from None
            if raw is None:
                raise ConnectionError(f"{self.name}: the kernel's connection closed")
            msg = json.loads(raw)
            state = msg["content"].get("execution_state") if msg["msg_type"] == "status" else None
            if state in ("restarting", "dead", "autorestarting"):
                yield msg   # the kernel died: no idle will come for this request
                return
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            yield msg
            if state == "idle":
                return

    async def run(self, code: str, timeout: float = 120) -> dict:
        """Runs one cell: {"text": what it printed, "errors": [...], "states": [...]}."""
        msg_id = await self.send("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True})
        text, errors, states = [], [], []
        async for msg in self.replies(msg_id, timeout):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                text.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                text.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
                text.append("\n".join(content.get("traceback", [])))
            elif kind == "status":
                states.append(content["execution_state"])
        return {"text": "".join(text), "errors": errors, "states": states}

    def kernel(self) -> psutil.Process | None:
        return kernel_process(self.kernel_id) if self.kernel_id else None

    async def close(self) -> None:
        if self.socket:
            self.socket.close()
            self.socket = None
        if self.kernel_id:
            await self.api("DELETE", f"kernels/{self.kernel_id}")
            self.kernel_id = None


async def one_learner(hub: Hub, name: str, cells: list[str], gate: asyncio.Event) -> dict:
    learner = Learner(hub, name)
    record = {"name": name}
    await gate.wait()
    try:
        record["server_s"] = round(await learner.start_server(), 2)
        record["idle_s"] = round(await learner.open_lesson(), 2)
        for code in cells:
            result = await learner.run(code)
        record["errors"] = result["errors"]
        record["timings"] = printed.times(result["text"])
        kernel = learner.kernel()
        record["kernel"] = rss_mib(kernel) if kernel else None
        record["server"] = rss_mib(kernel.parent()) if kernel else None
    except Exception as e:   # one learner's failure is recorded, the class goes on
        record["failure"] = f"{type(e).__name__}: {e}"
    finally:
        await learner.close()
    return record


async def run_class(hub: Hub, names: list[str]) -> dict:
    """Every learner at once; the hub's own memory measured with all kernels still running."""
    cells = lesson_cells()
    gate = asyncio.Event()
    started, load_before = time.monotonic(), os.getloadavg()
    tasks = [asyncio.create_task(one_learner(hub, name, cells, gate)) for name in names]
    gate.set()
    learners = await asyncio.gather(*tasks)
    return {"learners": learners, "hub": hub.processes(), "wall_s": round(time.monotonic() - started, 1),
            "load_before": [round(x, 2) for x in load_before], "load_after": [round(x, 2) for x in os.getloadavg()]}


def summary(result: dict, heap: str) -> dict:
    """The class's figures against the goals: gathered within 0.10 s of 1.00 s; 30 learners/24 GiB."""
    ok = [r for r in result["learners"] if "failure" not in r and len(r.get("timings", [])) == 3]
    gathered = [r["timings"][0] for r in ok]
    per_learner = [r["kernel"]["peak_mib"] + r["server"]["peak_mib"] for r in ok if r.get("kernel")]
    hub_mib = sum(p["rss_mib"] for p in result["hub"].values())
    worst = max(per_learner) if per_learner else None
    return {
        "learners": len(result["learners"]), "completed": len(ok), "kernel_heap": heap,
        "gathered_worst_s": max(gathered) if gathered else None,
        "gathered_goal_met": bool(gathered) and len(ok) == len(result["learners"])
        and all(abs(g - 1.00) <= 0.10 for g in gathered),
        "per_learner_peak_mib_worst": None if worst is None else round(worst, 1), "hub_mib": round(hub_mib, 1),
        "learners_fit_24gib": int((24 * 1024 - hub_mib) // worst) if worst else None,
        "machine": {"cores": os.cpu_count(), "memory_gib": round(psutil.virtual_memory().total / 2**30, 1)},
    }


def markdown(result: dict, summ: dict) -> str:
    """The class section of bench/results.md."""
    rows = ["| learner | server running (s) | kernel idle (s) | gathered / tasks / sequential (s) "
            "| kernel RSS peak (MiB) | server RSS peak (MiB) |", "|---|---:|---:|---|---:|---:|"]
    for r in result["learners"]:
        if "failure" in r:
            rows.append(f"| {r['name']} | {r.get('server_s', '–')} | {r.get('idle_s', '–')} | failed: {r['failure']} | | |")
            continue
        timings = " / ".join(f"{t:.2f}" for t in r["timings"]) or "none printed"
        rows.append(f"| {r['name']} | {r['server_s']:.2f} | {r['idle_s']:.2f} | {timings} "
                    f"| {r['kernel']['peak_mib']:.0f} | {r['server']['peak_mib']:.0f} |")
    hub = ", ".join(f"{k} {v['rss_mib']:.0f} MiB" for k, v in result["hub"].items())
    m = summ["machine"]
    worst = summ["gathered_worst_s"]
    return "\n".join([
        f"{summ['learners']} learners started their servers and ran lesson 04 up to `app()` at the same "
        f"time through the hub's REST API (`make hub`, kernel heap -Xmx{summ['kernel_heap']}), on this "
        f"machine: {m['cores']} cores, {m['memory_gib']} GiB; load average (1, 5, 15 min) before "
        f"{', '.join(map(str, result.get('load_before', [])))}, after {', '.join(map(str, result.get('load_after', [])))} "
        f"(other programs included). Whole class: {result['wall_s']} s.", "",
        *rows, "",
        f"- Hub's own processes with every kernel running: {hub}.",
        f"- Goal, gathered loads within 0.10 s of 1.00 s for every learner: "
        f"{'met' if summ['gathered_goal_met'] else 'not met'} (slowest gathered: "
        f"{'–' if worst is None else f'{worst:.2f} s'}; {summ['completed']} of {summ['learners']} completed).",
        f"- Goal, at least 30 learners on 24 GiB: the largest server + kernel peak was "
        f"{summ['per_learner_peak_mib_worst']:.0f} MiB, so about {summ['learners_fit_24gib']} learners fit "
        "after the learners ran lesson 04 (other lessons peak higher: see the lesson memory table).", ""])

