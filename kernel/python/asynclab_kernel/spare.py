"""A kernel provisioner that keeps one Java kernel warm, so the next one starts fast.

A JJava kernel started cold spends most of a second loading and compiling javac before it can
answer a cell. This provisioner (named ``asynclab-spare`` in the Java kernelspecs) starts each
kernel as jupyter_client's LocalProvisioner does, and some seconds later starts a *spare*: the
same command with ``--spare`` in place of the connection file (kernel/java/asynclab/kernel/
Spare.java), which warms a throwaway JShell and waits. The next kernel the same process starts
with the same command, working directory and environment is that spare, handed its connection
file on standard input; a new spare follows.

Settings (environment variables of the Jupyter server):
- ASYNCLAB_SPARE_KERNELS: how many spares one server keeps, 0 or 1 (default 1). 0 turns the
  mechanism off: every kernel starts cold, exactly as without this provisioner.
- ASYNCLAB_SPARE_DELAY: seconds between a kernel's start and its spare's (default 10), so the
  spare's warm-up (about a second of CPU) does not compete with the new kernel's first cells.

What to know:
- A spare costs one idle JVM (its memory is measured in bench/results.md).
- The first kernel a server starts is always cold; so is one whose command, directory or
  environment differs from the spare's (only the names in MAY_DIFFER may differ).
- A spare reads its connection file from standard input and exits when that input ends, so it
  does not outlive the server; the server also stops it when it exits normally.
"""
from __future__ import annotations

import atexit
import os
import subprocess
import threading
from typing import Any

from jupyter_client.launcher import launch_kernel
from jupyter_client.provisioning import LocalProvisioner

SPARE_FLAG = "--spare"
# May differ between a spare and the kernel it becomes: the notebook's name, which jupyter_server
# sets per session and the kernel never reads, and this provisioner's own settings.
MAY_DIFFER = {"JPY_SESSION_NAME", "ASYNCLAB_SPARE_KERNELS", "ASYNCLAB_SPARE_DELAY"}


def _setting(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


class Spares:
    """The spares of this process: at most ASYNCLAB_SPARE_KERNELS, each under the key of the
    command, directory and environment it was started with."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[tuple, subprocess.Popen] = {}
        self._timers: dict[tuple, threading.Timer] = {}

    @staticmethod
    def limit() -> int:
        return max(0, min(1, int(_setting("ASYNCLAB_SPARE_KERNELS", 1))))

    def waiting(self) -> list[int]:
        """The pids of the spares waiting now (the benchmark and the tests watch them)."""
        with self._lock:
            return [process.pid for process in self._waiting.values()]

    def take(self, key: tuple) -> subprocess.Popen | None:
        with self._lock:
            process = self._waiting.pop(key, None)
        return process if process is not None and process.poll() is None else None

    def start_later(self, key: tuple, cmd: list[str], kwargs: dict[str, Any]) -> None:
        """Starts a spare for `key` after ASYNCLAB_SPARE_DELAY seconds, unless one is waiting."""
        if self.limit() == 0:
            return
        timer = threading.Timer(_setting("ASYNCLAB_SPARE_DELAY", 10), self._start, (key, cmd, kwargs))
        timer.daemon = True
        with self._lock:
            if key in self._waiting or key in self._timers:
                return
            self._timers[key] = timer
        timer.start()

    def _start(self, key: tuple, cmd: list[str], kwargs: dict[str, Any]) -> None:
        with self._lock:
            if self._timers.pop(key, None) is None:
                return                    # stopped (stop_all) while this timer was firing
            while self._waiting and len(self._waiting) >= self.limit():
                self._stop(self._waiting.pop(next(iter(self._waiting))))
            if self.limit() == 0:
                return
            try:
                self._waiting[key] = launch_kernel(cmd, stdin=subprocess.PIPE, **kwargs)
            except OSError:
                pass   # the next kernel starts cold, as it would without a spare

    def stop_all(self) -> None:
        with self._lock:
            for timer in self._timers.values():
                timer.cancel()
            self._timers.clear()
            waiting, self._waiting = list(self._waiting.values()), {}
        for process in waiting:
            self._stop(process)

    @staticmethod
    def _stop(process: subprocess.Popen) -> None:
        if process.stdin:
            process.stdin.close()     # the spare sees the end of its input and exits
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


SPARES = Spares()
atexit.register(SPARES.stop_all)


def spare_key(cmd: list[str], kwargs: dict[str, Any]) -> tuple:
    env = kwargs.get("env") or {}
    return (tuple(cmd), str(kwargs.get("cwd")),
            tuple(sorted((k, v) for k, v in env.items() if k not in MAY_DIFFER)))


class SpareProvisioner(LocalProvisioner):
    """LocalProvisioner that hands a new kernel to a warm spare when one fits (module docstring)."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any):
        connection_file = getattr(self.parent, "connection_file", None)
        if Spares.limit() == 0 or not connection_file or connection_file not in cmd:
            return await super().launch_kernel(cmd, **kwargs)
        spare_cmd = [SPARE_FLAG if arg == connection_file else arg for arg in cmd]
        popen_kwargs = self._scrub_kwargs(kwargs)
        popen_kwargs.pop("stdin", None)       # a spare's stdin is the pipe it is handed a kernel on
        key = spare_key(spare_cmd, popen_kwargs)
        spare = SPARES.take(key)
        if spare is None:
            info = await super().launch_kernel(cmd, **kwargs)
        else:
            spare.stdin.write(connection_file.encode() + b"\n")
            spare.stdin.close()               # as for any kernel: nothing more on its stdin
            self.process, self.pid = spare, spare.pid
            self.pgid = os.getpgid(spare.pid)
            self.cwd = kwargs.get("cwd", os.getcwd())
            info = self.connection_info
        SPARES.start_later(key, spare_cmd, popen_kwargs)
        return info
