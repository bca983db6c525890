"""A live Java kernel for tests that need more than top-to-bottom execution (interrupts, re-runs)."""
import contextlib
import time

import jupyter_client

import nbrun


class Session:
    def __init__(self, km, kc):
        self.km, self.kc = km, kc

    def run(self, code: str, timeout: float = 60, interrupt_after: float | None = None) -> dict:
        """Executes one cell; returns its text, error names and wall time; optionally interrupts it."""
        started = time.monotonic()
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
                "seconds": time.monotonic() - started}


@contextlib.contextmanager
def session(kernel_name: str = "java", setup: bool = True):
    km, kc = jupyter_client.manager.start_new_kernel(
        kernel_name=kernel_name, cwd=str(nbrun.NOTEBOOKS), startup_timeout=180)
    try:
        s = Session(km, kc)
        if setup:
            result = s.run("%classpath ../lib/*.jar\nimport static asynclab.Lab.*;\nimport java.util.concurrent.*;")
            assert result["errors"] == [], result
        yield s
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
