"""Executed copies of the notebooks, kept in build/executed/ and reused while nothing they depend on
has changed.

A copy is reused only if its key still matches: a hash of the notebook itself, every jar in lib/,
the kernelspec it runs on (which names the JDK) and the code that executes it (course/nbrun.py). Only
clean runs are kept (no error output, nothing on stderr, every cell run, no thread left running),
so a failing notebook runs again next time; so does every notebook this process used when a test
fails (tests/conftest.py calls forget_used(), so a slow run's timings do not stick); NOTEBOOK_CACHE=off
runs every notebook again. A lock file per notebook lets several processes (pytest-xdist workers,
`make site`) ask for the same notebook at once: one runs it, the others wait and read the copy.
`make site` and the tests' `executed` fixture both use `execute()`.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import pathlib
import tempfile

import nbformat

from course import nbrun
from course.paths import BUILD, ROOT, jars

CACHE = BUILD / "executed"


def _kernelspec_files(nb) -> list[pathlib.Path]:
    name = nb.metadata.get("kernelspec", {}).get("name", "java")
    try:
        from jupyter_client.kernelspec import KernelSpecManager
        folder = pathlib.Path(KernelSpecManager().get_kernel_spec(name).resource_dir)
        # kernel.json and the launcher's jars (asynclab-kernel.jar): a changed launcher changes
        # what a notebook shows (late output, hints), so its runs are not reused
        return sorted(f for f in [folder / "kernel.json", *folder.glob("*.jar")] if f.exists())
    except Exception:  # no such kernel: the execution itself will say so
        return []


def key(path: pathlib.Path) -> str:
    """The hash of everything that decides what the executed copy of `path` shows."""
    path = pathlib.Path(path).resolve()
    digest = hashlib.sha256()
    inputs = [path, *jars(), *_kernelspec_files(nbrun.read(path)),
              pathlib.Path(nbrun.__file__)]
    for f in inputs:
        digest.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return digest.hexdigest()


def cached_path(path: pathlib.Path) -> pathlib.Path:
    """Where the executed copy of a notebook under notebooks/ is kept (same relative path)."""
    return CACHE / pathlib.Path(path).resolve().relative_to(nbrun.NOTEBOOKS)


def clean(nb) -> bool:
    return (not nbrun.errors(nb) and nb.metadata.get("stray_threads") == "[]"
            and all(c.get("execution_count") for c in nbrun.code_cells(nb)))


@contextlib.contextmanager
def _locked(target: pathlib.Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_name(target.name + ".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _write_atomically(target: pathlib.Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)   # as open() would make it, not mkstemp's 0600
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)
    os.replace(tmp, target)


_used: set[pathlib.Path] = set()


def forget_used() -> None:
    """Makes every notebook this process executed or reused run again next time."""
    for path in _used:
        target = cached_path(path)
        target.with_name(target.name + ".key").unlink(missing_ok=True)


def execute(path: pathlib.Path, log=None) -> nbformat.NotebookNode:
    """The notebook executed by nbrun.execute(), from the cache when nothing it depends on changed.

    Solutions notebooks run their exercises on one CPU beside a busy neighbour, in a JVM sized for
    one CPU (nbrun.one_busy_cpu): every correct answer must still get ✔ on a Binder-sized machine.

    `log`, if given, is called with one line saying whether the notebook ran or was reused.
    """
    path = pathlib.Path(path).resolve()
    target = cached_path(path)
    stamp = target.with_name(target.name + ".key")
    _used.add(path)
    with _locked(target):
        wanted = key(path)
        reuse = os.environ.get("NOTEBOOK_CACHE", "on") != "off"
        if reuse and target.exists() and stamp.exists() and stamp.read_text() == wanted:
            if log:
                log(f"unchanged  {target.relative_to(ROOT)}")
            return nbrun.read(target)
        stamp.unlink(missing_ok=True)
        if log:
            log(f"executing  {path.relative_to(ROOT)}")
        nb = nbrun.execute(path, one_cpu=path.parent.name == "solutions")
        _write_atomically(target, nbformat.writes(nb))
        if clean(nb):
            _write_atomically(stamp, wanted)
        elif log:
            log(f"not cached {path.relative_to(ROOT)} (errors, stderr or stray threads): it runs again next time")
        return nb
