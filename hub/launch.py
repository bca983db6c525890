"""`make hub`: checks what a class needs, then runs JupyterHub with hub/jupyterhub_config.py.

Each check stops with one line saying what to do: the roster (hub/roster.txt, else the example),
the port, the proxy (configurable-http-proxy, which `make hub` installs into .cache/node).
The hub itself listens on 127.0.0.1:PORT; its two internal ports are picked free at start.

Usage: python hub/launch.py [--port 8888] [--roster FILE] [--check]   (--check: checks only)
"""
from __future__ import annotations

import argparse
import os
import pathlib
import signal
import sys

from course import roster
from course.net import free_port, port_free
from course.paths import ROOT

PROXY = ROOT / ".cache" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8888")))
    parser.add_argument("--roster", type=pathlib.Path, default=roster.default_roster())
    parser.add_argument("--check", action="store_true", help="run the checks, start nothing")
    args = parser.parse_args(argv)
    try:
        names = roster.read(args.roster)
    except roster.RosterError as e:
        sys.exit(str(e))
    if not port_free(args.port):
        sys.exit(f"Port {args.port} is already in use (another hub or JupyterLab?). "
                 f"Stop it, or run: make hub PORT={args.port + 1}")
    proxy = os.environ.get("HUB_PROXY_COMMAND", str(PROXY))
    if not pathlib.Path(proxy).exists():
        sys.exit(f"{proxy} is missing: run `make hub` (it installs configurable-http-proxy with npm)")
    learners = roster.secrets_for(names)
    if args.check:
        print(f"ok: {len(learners)} learners, port {args.port} free, proxy {proxy}")
        return
    env = {
        **os.environ,
        "HUB_PORT": str(args.port),
        "HUB_ROSTER": str(args.roster.resolve()),
        "HUB_STATE": str(roster.STATE),
        "HUB_PROXY_COMMAND": proxy,
        "HUB_API_PORT": str(free_port()),
        "HUB_PROXY_API_PORT": str(free_port()),
    }
    print(f"JupyterHub for {len(learners)} learners at http://127.0.0.1:{args.port}/ "
          f"(passwords: {roster.STATE / 'passwords.txt'}); Ctrl-C stops it", flush=True)
    hub = pathlib.Path(sys.executable).parent / "jupyterhub"
    os.chdir(roster.STATE)
    signal.signal(signal.SIGINT, signal.SIG_DFL)   # started in the background it was ignored: the
    # hub and its services stop on SIGINT, and would each wait out a timeout instead
    os.execve(str(hub), [str(hub), "-f", str(roster.HERE / "jupyterhub_config.py")], env)


if __name__ == "__main__":
    main()
