"""Writes environment.yml's pip section: the image's Jupyter stack at constraints.txt's versions.

The image (Binder, repo2docker, Zero to JupyterHub) needs JupyterLab, Notebook, the Java kernel,
nbclient/nbformat and jupyterhub-singleuser: these, and everything they pull in, are pinned to
the exact versions in constraints.txt, as `make venv` installs them. The list of what they pull
in is read from the packages installed in .venv. tests/test_binder.py checks the file is current.

Usage: .venv/bin/python -m course.binder_pins   (after a change to requirements.txt/constraints.txt)
"""
from __future__ import annotations

import importlib.metadata as metadata
import re

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from course.paths import ROOT

IMAGE = ["jupyterlab", "notebook", "nbclient", "nbformat", "jjava", "jupyterhub"]
ENVIRONMENT = ROOT / "environment.yml"
# environment.yml (not this package's file) still names this module by its old path, hub/binder_pins.py
BEGIN, END = "      # BEGIN pins (hub/binder_pins.py)", "      # END pins"


def constraints() -> dict[str, tuple[str, str]]:
    """canonical name -> (name as written, version), from constraints.txt."""
    found = re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", (ROOT / "constraints.txt").read_text(), re.M)
    return {canonicalize_name(name): (name, version) for name, version in found}


def closure(top: list[str] = IMAGE) -> set[str]:
    """The canonical names of `top` and of everything they require here (extras followed)."""
    names, todo, done = set(), [(name, frozenset()) for name in top], set()
    while todo:
        name, extras = todo.pop()
        key = (canonicalize_name(name), extras)
        if key in done:
            continue
        done.add(key)
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        names.add(canonicalize_name(name))
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (extras or {""})):
                continue
            todo.append((req.name, frozenset(req.extras)))
    return names


def pins() -> list[str]:
    pinned = constraints()
    missing = sorted(closure() - set(pinned))
    if missing:
        raise SystemExit(f"constraints.txt does not pin {', '.join(missing)}: pin them, then run this again")
    return [f"{pinned[name][0]}=={pinned[name][1]}" for name in sorted(closure())]


def main() -> None:
    text = ENVIRONMENT.read_text()
    head, _, rest = text.partition(BEGIN + "\n")
    _, _, tail = rest.partition(END + "\n")
    lines = "".join(f"      - {pin}\n" for pin in pins())
    ENVIRONMENT.write_text(f"{head}{BEGIN}\n{lines}{END}\n{tail}")
    print(f"environment.yml: {len(pins())} pins")


if __name__ == "__main__":
    main()
