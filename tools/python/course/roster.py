"""The class list and its secrets, for `make hub` (hub/launch.py) and hub/jupyterhub_config.py.
(In the shared package because the hub's config, which JupyterHub loads as a file, imports it.)

A roster is a text file with one learner name a line; `#` starts a comment. A name is 1 to 32
characters of lowercase letters, digits, `-` and `_`, starting with a letter: the same name is a
folder (hub/state/home/NAME) and a URL part (/user/NAME/), so anything else is refused with the
line it came from, never escaped or changed silently.

Every learner gets a password (for the browser) and an API token (for scripts and the class
test), generated once into hub/state/secrets.json (git-ignored, mode 600) and kept after that:
adding a learner to the roster adds their secrets, and nobody else's change.
"""
from __future__ import annotations

import json
import os
import pathlib
import re
import secrets

from course.paths import ROOT

HERE = ROOT / "hub"   # the hub's folder: its roster and state
STATE = pathlib.Path(os.environ.get("HUB_STATE", HERE / "state"))
NAME = re.compile(r"[a-z][a-z0-9_-]{0,31}")
RESERVED = {"admin", "root", "hub", "user", "api", "services", "teacher"}


class RosterError(ValueError):
    """A roster that cannot be served as it is; the message says which line and why."""


def default_roster() -> pathlib.Path:
    """hub/roster.txt if the teacher made one, else the example roster."""
    own = HERE / "roster.txt"
    return own if own.exists() else HERE / "roster.example.txt"


def read(path: pathlib.Path) -> list[str]:
    """The learner names of a roster, in order; RosterError names every bad line."""
    if not path.exists():
        raise RosterError(f"No roster at {path}: write one learner name a line (see hub/roster.example.txt)")
    names, problems = [], []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        where = f"{path.name} line {number}: {name!r}"
        if not NAME.fullmatch(name):
            problems.append(f"{where} is not a usable name: use 1-32 lowercase letters, digits, "
                            "'-' or '_', starting with a letter (e.g. 'ana-lopez')")
        elif name in RESERVED:
            problems.append(f"{where} is reserved: pick another name")
        elif name in names:
            problems.append(f"{where} is listed twice")
        else:
            names.append(name)
    if problems:
        raise RosterError("The roster has names the hub cannot use:\n  " + "\n  ".join(problems))
    if not names:
        raise RosterError(f"The roster {path} names nobody: write one learner name a line")
    return names


def secrets_for(names: list[str], state: pathlib.Path = STATE) -> dict[str, dict[str, str]]:
    """{name: {"password", "token"}} for every name, generating the missing ones (kept on disk)."""
    state.mkdir(parents=True, exist_ok=True)
    path = state / "secrets.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    changed = False
    for name in names:
        if name not in known:
            known[name] = {"password": secrets.token_urlsafe(9), "token": secrets.token_hex(24)}
            changed = True
    if changed or not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.touch(mode=0o600)
        tmp.write_text(json.dumps(known, indent=2) + "\n")
        tmp.replace(path)
        write_handout(names, known, state)
    return {name: known[name] for name in names}


def write_handout(names: list[str], known: dict, state: pathlib.Path) -> None:
    """hub/state/passwords.txt: what the teacher hands out, one learner a line."""
    lines = ["# name        password   (tokens are in secrets.json; keep both files private)"]
    lines += [f"{name:<13} {known[name]['password']}" for name in names]
    path = state / "passwords.txt"
    path.touch(mode=0o600)
    path.write_text("\n".join(lines) + "\n")
