"""Writes the course's navigation from the lessons' sources themselves (run by `make notebooks`).

- the first and last cell of each lesson, markdown cells starting `<!-- nav -->`: contents,
  previous and next lesson;
- the contents list in 00-start-here, in the cell starting `<!-- toc -->`;
- the README's contents, between `<!-- toc -->` and `<!-- /toc -->`.
It edits `lessons/` (course/lessons.py then builds notebooks/ from it). Run as `python -m course.nav`.
Titles come from each lesson's `# NN · Title` heading, one-line summaries from the sentence after
it. Safe to re-run; `--check` only reports whether anything is out of date (the tests use it).
"""
import re
import sys

import nbformat

from course.paths import ROOT, sources

NAV, TOC = "<!-- nav -->", "<!-- toc -->"


def title_and_summary(nb):
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.startswith("# "):
            heading, _, rest = cell.source.partition("\n")
            paragraph = rest.strip().split("\n\n")[0].replace("\n", " ")
            summary = re.split(r"(?<=[.!?])\s", paragraph)[0]
            return heading[2:].strip(), summary
    raise SystemExit("no '# NN · Title' heading found")


def nav_line(i, entries):
    parts = ["[⌂ Contents](00-start-here.ipynb)"]
    if i > 0:
        parts.append(f"[← {entries[i - 1][1]}]({entries[i - 1][0].name})")
    if i + 1 < len(entries):
        parts.append(f"[{entries[i + 1][1]} →]({entries[i + 1][0].name})")
    return f"{NAV}\n" + " · ".join(parts)


def toc_lines(entries, prefix):
    return "\n".join(f"- [{title}]({prefix}{path.name}) — {summary}" for path, title, summary in entries)


def main(check: bool) -> int:
    entries = []
    for path in sources():
        title, summary = title_and_summary(nbformat.read(path, as_version=4))
        entries.append((path, title, summary))
    stale = []
    for i, (path, _, _) in enumerate(entries):
        nb = nbformat.read(path, as_version=4)
        before = nbformat.writes(nb)
        for cell in nb.cells:
            if cell.cell_type == "markdown" and cell.source.startswith(NAV):
                cell.source = nav_line(i, [(p, t) for p, t, _ in entries])
            if cell.cell_type == "markdown" and TOC in cell.source:
                head = cell.source.split(TOC)[0]
                cell.source = f"{head}{TOC}\n{toc_lines(entries, '')}"
        if nbformat.writes(nb) != before:
            stale.append(path.name)
            if not check:
                nbformat.write(nb, path)
    readme = ROOT / "README.md"
    text = readme.read_text()
    new = re.sub(r"<!-- toc -->.*?<!-- /toc -->",
                 lambda _: f"{TOC}\n{toc_lines(entries, 'notebooks/')}\n<!-- /toc -->", text, flags=re.S)
    if new != text:
        stale.append("README.md")
        if not check:
            readme.write_text(new)
    if check and stale:
        print("out of date (run make notebooks):", ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
