"""Builds the course's website from the executed lessons (`make site` runs `python -m course.website`;
tests/test_site.py calls the same `main()`).

1. Executes every lesson (notebooks/NN-slug.ipynb, not the solutions) through the real Java kernel
   with course/nbrun.py, cached in build/executed/ (course/nbcache.py): a lesson runs again only
   when it, a jar in lib/, its kernelspec or the runner changed.
2. Stages the book in build/site-src/, laid out like the repository so that every page's Binder
   link opens the same path: the executed lessons in notebooks/ (navigation cells dropped, the
   book has its own; links to files that are not pages point at the repository), the home page
   from the README's course overview, the asyncio <-> Java table taken from the lesson that has it,
   _config.yml from site/ and a _toc.yml made from the lessons' file names. Unchanged files are
   not rewritten, so Sphinx rebuilds only the pages that changed.
3. Builds it with Jupyter Book 1.x (Sphinx, no execution) into site/_build/html/.
"""
from __future__ import annotations

import argparse
import hashlib
import pathlib
import re
import subprocess
import sys
import time

import nbformat
import yaml

from course import binder_repo, nav, nbcache, nbrun  # nav: titles and one-line summaries, as `make nav` writes them
from course.paths import BUILD, ROOT

SITE = ROOT / "site"
STAGE = BUILD / "site-src"
OUT = SITE / "_build" / "html"
DEFAULT_REPO = "async-java-hands-on/async-java-hands-on"   # used when README.md has no Binder badge
BINDER = re.compile(r"https://mybinder\.org/v2/gh/([\w.-]+/[\w.-]+)/([\w.-]+)")
BADGE = re.compile(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge[^)]*\)\]\((https://mybinder\.org/[^)]+)\)")
MD_LINK = re.compile(r"(\]\()([^)\s]+)(\))")
TABLE_PAGE = "asyncio-java"


def repository() -> tuple[str, str]:
    """OWNER/REPO and branch: the one line of binder-repo.txt (course/binder_repo.py), on HEAD."""
    if binder_repo.SETTING.exists():
        return binder_repo.read(), "HEAD"
    found = BINDER.search((ROOT / "README.md").read_text(encoding="utf-8"))
    return (found.group(1), found.group(2)) if found else (DEFAULT_REPO, "HEAD")


def binder_url(lesson: pathlib.Path) -> str:
    """Where a lesson's launch link must go: that notebook, in JupyterLab on Binder."""
    repo, branch = repository()
    return f"https://mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/notebooks/{lesson.name}"


def relink(markdown: str, base: str, pages: set[str]) -> str:
    """Keeps links to book pages; points links to other repository files at the repository."""
    repo, branch = repository()

    def fix(m):
        target = m.group(2)
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            return m.group(0)
        file, _, anchor = target.partition("#")
        resolved = pathlib.PurePosixPath(base, file)
        parts = []
        for part in resolved.parts:   # normalise a/../b without touching the disk
            if part == "..":
                parts = parts[:-1]
            elif part != ".":
                parts.append(part)
        resolved = "/".join(parts)
        if resolved in pages:
            return m.group(0)
        kind = "tree" if (ROOT / resolved).is_dir() else "blob"
        url = f"https://github.com/{repo}/{kind}/{branch}/{resolved}" + (f"#{anchor}" if anchor else "")
        return f"{m.group(1)}{url}{m.group(3)}"

    return MD_LINK.sub(fix, markdown)


def put(path: pathlib.Path, text: str) -> None:
    """Writes only when the content changed, so Sphinx sees unchanged pages as unchanged."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def book_notebook(lesson: pathlib.Path, executed, pages: set[str]) -> str:
    nb = nbformat.from_dict(executed)
    nb.cells = [c for c in nb.cells if not (c.cell_type == "markdown" and c.source.startswith(nav.NAV))]
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(cell.source, "notebooks", pages)
    title = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("# ")), 0)
    nb.cells.insert(title + 1, nbformat.v4.new_markdown_cell(id="launch-on-binder", source=
        f"*Run this lesson yourself:* [launch it on Binder]({binder_url(lesson)}) "
        "(JupyterLab in your browser, nothing to install), or `make lab` in a clone of the repository."))
    return nbformat.writes(nb)


def contents(entries) -> str:
    return "\n".join(f"- [{title}](notebooks/{path.name}) — {summary}" for path, title, summary in entries)


def home_page(entries, pages: set[str]) -> str:
    """The README's course overview (up to the end of its contents), contents made from the lessons.

    If the README has no contents block yet, the page is the first lesson's introduction instead.
    """
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    about = ("\n\n## About this website\n\nEach lesson here is its notebook as it ran on the course's "
             "Java kernel: the code, what it printed, and its timelines. To run a lesson yourself, open "
             "it on Binder (the link under its title, or the rocket button at the top of the page), "
             "or clone the repository and run `make lab`. The worked solutions stay in the "
             "repository.\n")
    if nav.TOC in readme:
        head, _, rest = readme.partition(nav.TOC)
        _, _, after = rest.partition("<!-- /toc -->")
        tail = after.split("\n## ", 1)[0]   # the rest of the section that holds the contents
        page = f"{head}{contents(entries)}{tail.rstrip()}\n"
    else:
        first = nbrun.read(entries[0][0])
        intro = next(c.source for c in first.cells if c.cell_type == "markdown" and c.source.startswith("# "))
        title = readme.splitlines()[0] if readme.startswith("# ") else "# Async Java, hands on"
        body = intro.partition("\n")[2].split("**You will learn**")[0].strip()
        page = f"{title}\n\n{body}\n\n## The course\n\n{contents(entries)}\n"
    page = BADGE.sub(r"[Launch the course on Binder](\1)", page)   # text: the badge is an outside image
    return relink(page, "", pages) + about


def asyncio_table(lessons, pages: set[str]) -> str:
    """The page with the asyncio <-> Java table, taken from the lesson whose table starts `| asyncio |`."""
    for path in lessons:
        for cell in nbrun.read(path).cells:
            lines = cell.source.splitlines() if cell.cell_type == "markdown" else []
            for i, line in enumerate(lines):
                cells = line.strip().strip("|").split("|")
                if line.lstrip().startswith("|") and cells[0].strip().lower() == "asyncio":
                    table = []
                    for row in lines[i:]:
                        if not row.lstrip().startswith("|"):
                            break
                        table.append(row)
                    title = nav.title_and_summary(nbrun.read(path))[0]
                    page = (f"# asyncio ↔ Java\n\nWhere each tool of Python's asyncio lives in Java, one "
                            f"row per tool. The table comes from lesson "
                            f"[{title}](notebooks/{path.name}), which shows each of them at work.\n\n"
                            + "\n".join(table) + "\n")
                    return relink(page, "", pages)
    raise SystemExit("course/website.py: no lesson has a markdown table whose first column is `asyncio`")


def stage(log=print) -> list[pathlib.Path]:
    lessons = nbrun.lessons()
    if not lessons:
        raise SystemExit("course/website.py: no lessons in notebooks/")
    pages = {f"notebooks/{p.name}" for p in lessons}
    executed = {}
    for path in lessons:
        executed[path] = nbcache.execute(path, log=log)
    entries = [(p, *nav.title_and_summary(nbrun.read(p))) for p in lessons]

    for path in lessons:
        put(STAGE / "notebooks" / path.name, book_notebook(path, executed[path], pages))
    for stale in (STAGE / "notebooks").glob("*.ipynb"):
        if stale.name not in {p.name for p in lessons}:
            stale.unlink()
    put(STAGE / "index.md", home_page(entries, pages))
    put(STAGE / f"{TABLE_PAGE}.md", asyncio_table(lessons, pages))

    config = yaml.safe_load((SITE / "_config.yml").read_text(encoding="utf-8"))
    repo, branch = repository()
    config["repository"].update(url=f"https://github.com/{repo}", branch=branch)
    extensions = config.get("sphinx", {}).get("local_extensions") or {}
    for name, folder in extensions.items():   # relative to site/, where _config.yml lives
        extensions[name] = str((SITE / folder).resolve())
    put(STAGE / "_config.yml", "# generated by course/website.py from site/_config.yml\n"
        + yaml.safe_dump(config, sort_keys=False, allow_unicode=True))
    toc = {"format": "jb-book", "root": "index", "parts": [
        {"caption": "Lessons", "chapters": [{"file": f"notebooks/{p.stem}"} for p in lessons]},
        {"caption": "Reference", "chapters": [{"file": TABLE_PAGE}]},
    ]}
    put(STAGE / "_toc.yml", "# generated by course/website.py from the lessons' file names\n"
        + yaml.safe_dump(toc, sort_keys=False))
    return lessons


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="rebuild every page, not just the changed ones")
    parser.add_argument("--quiet", action="store_true", help="print only warnings and the result")
    args = parser.parse_args(argv)
    started = time.monotonic()
    stage(log=(lambda _: None) if args.quiet else print)
    executed_at = time.monotonic()
    # Sphinx rebuilds pages whose source or config changed, not those whose extension or static
    # files did (nor does it copy those again): any change there rebuilds every page.
    inputs = "".join(f"{f.relative_to(SITE)} {hashlib.sha256(f.read_bytes()).hexdigest()}\n"
                     for f in sorted([*(SITE / "_ext").glob("*.py"), *(SITE / "_static").rglob("*.*")]))
    stamp = OUT / ".course-site-inputs"
    rebuild = args.all or not stamp.exists() or stamp.read_text() != inputs
    command = [str(pathlib.Path(sys.executable).parent / "jupyter-book"), "build", str(STAGE),
               "--path-output", str(SITE), "--builder", "html", *(["--all"] if rebuild else []),
               *(["-q"] if args.quiet else [])]
    done = subprocess.run(command, cwd=ROOT)
    if done.returncode != 0:
        return done.returncode
    stamp.write_text(inputs)
    print(f"site: {OUT.relative_to(ROOT)}/index.html (notebooks {executed_at - started:.1f} s, "
          f"book {time.monotonic() - executed_at:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
