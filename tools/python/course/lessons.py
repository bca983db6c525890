"""Builds the notebooks learners open from the one source of each lesson (run by `make notebooks`).

`lessons/NN-slug.ipynb` is the only notebook an author edits: the whole lesson, with each exercise's
answer between a line `// BEGIN SOLUTION` and a line `// END SOLUTION`, and nbgrader's cell metadata
on answer and check cells (so `make assignments` can hand the same file to nbgrader). From it:

- `notebooks/NN-slug.ipynb`, the lesson: every solution region replaced by the stub below, cells
  tagged `solution-note` left out, nbgrader's metadata removed;
- `notebooks/solutions/NN-slug.ipynb`, the worked solutions: the whole lesson with the answers in
  (delimiter lines removed), a line at the top saying so, links and the jar path one folder up.

The lesson is made by nbgrader's own ClearSolutions (the delimiter lines and everything between
them become the stub, indented like the BEGIN line), with the stub below, which `make assignments`
gives nbgrader too (tools/nbgrader_config.py imports it), so the lesson here and nbgrader's
release version say the same. `--check` only
reports what is out of date (a test runs it). Safe to re-run. Run as `python -m course.lessons`.
"""
from __future__ import annotations

import copy
import pathlib
import re
import sys

import nbformat
from nbgrader.preprocessors import ClearSolutions

from course.paths import LESSONS, NOTEBOOKS, ROOT, lessons_in, sources

BEGIN, END = "BEGIN SOLUTION", "END SOLUTION"
STUB = '// YOUR CODE HERE\nthrow new UnsupportedOperationException("your turn");'


def keep_region(text: str) -> str:
    """The answer in place: only the delimiter lines go."""
    return "\n".join(line for line in text.split("\n") if BEGIN not in line and END not in line)


def _tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def _plain(cell):
    cell.metadata.pop("nbgrader", None)
    return cell


def learner(nb):
    """The lesson as a learner gets it: nbgrader's ClearSolutions with the course's Java stub."""
    out = copy.deepcopy(nb)
    out.cells = [c for c in out.cells if "solution-note" not in _tags(c)]
    for cell in out.cells:
        if "exercise" in _tags(cell) and BEGIN not in cell.source:
            raise ValueError(f"exercise cell without a solution region:\n{cell.source}")
    out, _ = ClearSolutions(code_stub={"java": STUB}, begin_solution_delimeter=BEGIN,
                            end_solution_delimeter=END).preprocess(out, {})
    out.cells = [_plain(cell) for cell in out.cells]
    return out


def solutions(nb, lesson_name: str):
    """The worked solutions: the whole lesson, answers in, one folder below the lessons."""
    out = copy.deepcopy(nb)
    for cell in out.cells:
        _plain(cell)
        if cell.cell_type == "code":
            cell.source = keep_region(cell.source)
            if "setup" in _tags(cell):
                cell.source = cell.source.replace("%classpath ../lib/", "%classpath ../../lib/", 1)
        elif cell.source.startswith("<!-- nav -->"):
            cell.source = re.sub(r"\]\((?!http)([^)]+\.ipynb)\)", r"](../\1)", cell.source)
    title = next(c for c in out.cells if c.cell_type == "markdown" and c.source.startswith("# "))
    heading = title.source.partition("\n")[0][2:]
    banner = nbformat.v4.new_markdown_cell(
        f"**Worked solutions** of [{heading}](../{lesson_name}): the lesson with every exercise "
        "answered. Each check below prints ✔; the notes after an answer say why the common wrong "
        "answers get ✘.")
    banner.pop("id", None)
    out.cells.insert(out.cells.index(title), banner)
    return out


def _write_if_changed(nb, path: pathlib.Path, check: bool) -> bool:
    text = nbformat.writes(nb) + "\n"
    if path.exists() and path.read_text() == text:
        return False
    if not check:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return True


def _stable_ids(nb, salt: str):
    """Cell ids derived from the source's, so rebuilding changes nothing that did not change."""
    for i, cell in enumerate(nb.cells):
        cell.id = f"{salt}{cell.get('id') or i}"[:64] if salt else (cell.get("id") or f"cell-{i}")
    return nb


def main(check: bool) -> int:
    stale = []
    for src in sources():
        nb = nbformat.read(src, as_version=4)
        outputs = {NOTEBOOKS / src.name: _stable_ids(learner(nb), ""),
                   NOTEBOOKS / "solutions" / src.name: _stable_ids(solutions(nb, src.name), "s-")}
        for path, built in outputs.items():
            nbformat.validate(built)
            if _write_if_changed(built, path, check):
                stale.append(str(path.relative_to(ROOT)))
    orphans = [p for p in lessons_in(NOTEBOOKS)
               if not (LESSONS / p.name).exists()]
    stale += [f"{p.relative_to(ROOT)} (no lessons/{p.name})" for p in orphans]
    if stale:
        print(("out of date (run make notebooks): " if check else "wrote: ") + ", ".join(stale))
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main("--check" in sys.argv))
