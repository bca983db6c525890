"""A live Java kernel: started, sent cells, stopped, for what needs more than a notebook run top
to bottom (interrupts, re-runs, timing a start, training the start-up cache)."""
from __future__ import annotations

import contextlib
import time

from jupyter_client import KernelManager
from jupyter_client.kernelspec import KernelSpecManager

from course.paths import NOTEBOOKS

SETUP = "%classpath ../lib/*.jar\nimport static asynclab.Lab.*;\nimport java.util.concurrent.*;"


def shut_down_now(km) -> None:
    km.shutdown_kernel(now=True)


@contextlib.contextmanager
def started(kernel_name: str = "java", cwd=NOTEBOOKS, kernel_dirs: list[str] | None = None,
            ready: float = 180, stop=shut_down_now, **start):
    """(manager, client) of a kernel started in `cwd` and ready; stopped by `stop(manager)` after.
    `kernel_dirs` looks for the kernelspec there only; `start` goes to start_kernel."""
    specs = KernelSpecManager(kernel_dirs=kernel_dirs) if kernel_dirs else None
    km = KernelManager(kernel_name=kernel_name, **({"kernel_spec_manager": specs} if specs else {}))
    km.start_kernel(cwd=str(cwd), **start)
    kc = km.client()
    try:
        kc.start_channels()
        kc.wait_for_ready(timeout=ready)
        yield km, kc
    finally:
        kc.stop_channels()
        stop(km)


def run_ok(kc, code: str, timeout: float = 120, output_hook=lambda msg: None) -> dict:
    """Runs one cell; its reply's content, or RuntimeError if the cell failed."""
    reply = kc.execute_interactive(code, timeout=timeout, output_hook=output_hook)
    if reply["content"]["status"] != "ok":
        raise RuntimeError(f"the cell {code[:40]!r} failed: {reply['content'].get('evalue')}")
    return reply["content"]


class Session:
    def __init__(self, km, kc):
        self.km, self.kc = km, kc

    def run(self, code: str, timeout: float = 60, interrupt_after: float | None = None) -> dict:
        """Executes one cell; returns its text, error names and wall time; optionally interrupts it."""
        started_at = time.monotonic()
        msg_id = self.kc.execute(code)
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            self.km.interrupt_kernel()
        text, errors, foreign = [], [], []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            mine = msg["parent_header"].get("msg_id") == msg_id
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                (text if mine else foreign).append(content["text"])
            elif kind == "execute_result":
                text.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                errors.append(f"{content['ename']}: {content['evalue']}")
            elif mine and kind == "status" and content["execution_state"] == "idle":
                break
        return {"text": "".join(text), "errors": errors, "foreign": "".join(foreign),
                "seconds": time.monotonic() - started_at}


@contextlib.contextmanager
def session(kernel_name: str = "java", setup: bool = True):
    """A Session on a fresh kernel in notebooks/, the helper jar loaded unless `setup` is False."""
    with started(kernel_name) as (km, kc):
        s = Session(km, kc)
        if setup:
            result = s.run(SETUP)
            assert result["errors"] == [], result
        yield s
