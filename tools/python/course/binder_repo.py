"""The Binder repository, named once in binder-repo.txt, and the two files that must repeat it.

`read()` gives OWNER/REPO from binder-repo.txt (course/website.py and the tests use it). Run this file
after changing binder-repo.txt: it rewrites the README's Binder badge and the book's repository
URL in site/_config.yml to match (Markdown and YAML cannot read the file themselves).

Usage: .venv/bin/python -m course.binder_repo
"""
from __future__ import annotations

import pathlib
import re

from course.paths import ROOT

SETTING = ROOT / "binder-repo.txt"
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}")
BADGE = re.compile(r"(https://mybinder\.org/v2/gh/)[^/\s)]+/[^/\s)]+(/[^?\s)]+\?)")
BOOK_URL = re.compile(r"^(  url: https://github\.com/)\S+$", re.M)


def read(path: pathlib.Path = SETTING) -> str:
    lines = [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("#")]
    if len(lines) != 1 or not SLUG.fullmatch(lines[0]):
        raise SystemExit(f"{path.name} must hold one line OWNER/REPO (e.g. my-school/async-java-hands-on), "
                         f"found {lines!r}")
    return lines[0]


def main() -> None:
    repo = read()
    for path, pattern, replacement in ((ROOT / "README.md", BADGE, rf"\g<1>{repo}\g<2>"),
                                       (ROOT / "site" / "_config.yml", BOOK_URL, rf"\g<1>{repo}")):
        text = path.read_text()
        new, count = pattern.subn(replacement, text)
        if not count:
            raise SystemExit(f"{path.relative_to(ROOT)} has no Binder link to rewrite")
        path.write_text(new)
        print(f"{path.relative_to(ROOT)}: {repo}")


if __name__ == "__main__":
    main()
