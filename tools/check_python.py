"""Stops `make` with one clear line when this Python cannot build the course's environment."""
import sys

if sys.version_info < (3, 10):
    sys.exit(f"Python {sys.version.split()[0]} is too old: install Python 3.10 or newer and run make again.")
try:
    import venv  # noqa: F401  (Debian splits it out as python3-venv)
    import ensurepip  # noqa: F401
except ImportError:
    sys.exit("This Python cannot create virtual environments: install python3-venv (e.g. 'sudo apt install python3-venv').")
