"""Set-up failures end with one clear line, not a stack trace or a hang."""
import os
import socket
import subprocess

import pytest

from course import nbrun

pytestmark = pytest.mark.slow

ROOT = nbrun.ROOT


def make(*args, env=None, timeout=120):
    return subprocess.run(["make", "--no-print-directory", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def test_no_jdk_21_stops_make_lab_with_one_clear_line():
    old = "/usr/lib/jvm/java-17-openjdk-amd64"
    result = make("lab", env={"JAVA_HOME": old, "JDK_SEARCH_PATH": ""})
    assert result.returncode != 0
    lines = [line for line in (result.stdout + result.stderr).splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "No JDK 25 found" in lines[0] and "install" in lines[0].lower()
    assert (ROOT / ".cache/jdk-home").read_text().strip() != old


def test_a_busy_port_is_named_with_the_way_out():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = make("lab", f"PORT={port}", timeout=60)
    assert result.returncode != 0
    assert f"Port {port} is already in use" in result.stderr
    assert f"make lab PORT={port + 1}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_python_is_named():
    result = make("venv", "PYTHON=python3-that-is-not-there", "VENV=build/no-venv")
    assert result.returncode != 0
    assert "python3-that-is-not-there not found: install Python 3.10 or newer" in result.stderr
