"""Ports, waiting until a deadline, and a server process started and waited for.

Every loop of the form "until it answers or the time is up" in the tests, the hub's class and the
bench is `until(...)`; every server the tests start (JupyterLab, `jupyter server`, the hub) is a
`ServerProcess`, which waits for its first answer and reports its log if it exits first.
"""
from __future__ import annotations

import asyncio
import pathlib
import socket
import subprocess
import time


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_free(port: int) -> bool:
    """Free to listen on, as a server will (SO_REUSEADDR: closed connections do not count)."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def until(condition, seconds: float, interval: float = 0.1):
    """Calls `condition()` until it returns something true or `seconds` have passed; returns its
    last value (false if the time ran out). `condition` is called at least once."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value or time.monotonic() >= deadline:
            return value
        time.sleep(min(interval, max(0.0, deadline - time.monotonic())))


def wait_for(condition, seconds: float = 60, message: str = ""):
    """`until`, for a test: the true value, or AssertionError(`message`) when the time runs out."""
    value = until(condition, seconds)
    if not value:
        raise AssertionError(message or f"not within {seconds} s")
    return value


async def until_async(condition, seconds: float, interval: float = 0.25):
    """`until` for a coroutine function `condition`, sleeping without blocking the event loop."""
    deadline = time.monotonic() + seconds
    while True:
        value = await condition()
        if value or time.monotonic() >= deadline:
            return value
        await asyncio.sleep(min(interval, max(0.0, deadline - time.monotonic())))


class ServerProcess:
    """A server run as a child process (its own session, output into `log_path`), waited for
    until `answers()` says it serves. Subclasses say how to ask (`answers`)."""

    name = "the server"
    failure = AssertionError   # what `start_process` raises (the tests' servers fail the test)

    def __init__(self, log_path: pathlib.Path):
        self.log_path = pathlib.Path(log_path)
        self.process: subprocess.Popen | None = None
        self.log = None

    def answers(self) -> bool:
        raise NotImplementedError

    def start_process(self, command: list[str], seconds: float, **popen) -> None:
        """Starts `command` and returns once it answers; an error naming its log if it exits or
        stays silent for `seconds`."""
        self.log = self.log_path.open("a")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=True, **popen)

        def answered():
            if self.process.poll() is not None:
                raise self.failure(f"{self.name} exited at start:\n{self.log_text()}")
            return self.answers()
        if not until(answered, seconds, 0.25):
            raise self.failure(f"{self.name} did not answer within {seconds:.0f} s:\n{self.log_text()}")

    def log_text(self, chars: int = 6000) -> str:
        if self.log and not self.log.closed:
            self.log.flush()
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

