"""The class benchmark: N learners on `make hub` run lesson 04 at once (course/classroom.py drives
them; `make bench` runs this and puts its table in bench/results.md; tests/test_hub.py runs 3).

Usage: .venv/bin/python bench/hub_class.py [N] [--out FILE.json]   (N learners, default $HUB_LEARNERS or 10)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import pathlib
import tempfile

from course.classroom import Hub, markdown, run_class, summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=int(os.environ.get("HUB_LEARNERS", "10")))
    parser.add_argument("--out", type=pathlib.Path)
    args = parser.parse_args()
    heap = os.environ.get("KERNEL_HEAP", "512m")
    names = [f"learner{i:02d}" for i in range(1, args.n + 1)]
    with tempfile.TemporaryDirectory(prefix="hub-class-") as state:
        with Hub(pathlib.Path(state), names, heap=heap) as hub:
            result = asyncio.run(run_class(hub, names))
    result["summary"] = summary(result, heap)
    text = json.dumps(result, indent=2)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text + "\n")
    print(markdown(result, result["summary"]))


if __name__ == "__main__":
    main()
