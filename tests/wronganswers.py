"""Feeds plausible wrong answers to a lesson's checks in one notebook run (the lessons' tests).

`wrong_answers_notebook(lesson, {"ex2": {"one after the other": "<answer cell>"}})` runs the
lesson's setup cell (and the cells containing any `keep` snippet), then for each wrong answer a
marker line, the answer cell (JShell replaces the earlier definition) and a copy of the
exercise's check cell. `assert_all_crossed` asserts each got a ✘ line and only verdict lines.
"""
import nbformat

import nbrun


def wrong_answers_notebook(lesson, wrong, keep=()):
    """The lesson's setup cell and cells containing any of `keep`, then per wrong answer: a
    marker line, the answer, and the exercise's check cell."""
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{lesson}.ipynb")
    checks = {c.metadata.get("exercise"): c.source for c in nbrun.tagged(nb, "check")}
    cells = [c for c in nb.cells if c.cell_type == "code"
             and ("setup" in c.metadata.get("tags", []) or any(k in c.source for k in keep))]
    for exercise, answers in wrong.items():
        for name, answer in answers.items():
            cells.append(nbformat.v4.new_code_cell(f'System.out.println("# {exercise}: {name}");'))
            cells.append(nbformat.v4.new_code_cell(answer.strip()))
            cells.append(nbformat.v4.new_code_cell(checks[exercise]))
    nb.cells = cells
    return nbrun.execute(nb, cwd=nbrun.NOTEBOOKS)


def exercises_only(nb, *keep):
    """The setup cell, the cells containing any of `keep`, and everything from ## Exercises on:
    what the checks need, without re-running the lesson's demonstrations."""
    cut = next(i for i, c in enumerate(nb.cells)
               if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    nb.cells = [c for i, c in enumerate(nb.cells)
                if i >= cut or "setup" in c.metadata.get("tags", [])
                or (c.cell_type == "code" and any(k in c.source for k in keep))]
    return nb


def verdicts_by_answer(nb):
    """{"ex2: one after the other": "✘ …"} from a run of wrong_answers_notebook."""
    found, current = {}, None
    for cell in nbrun.code_cells(nb):
        text = nbrun.text_of(cell).strip()
        if text.startswith("# "):
            current = text[2:]
        elif current and ("✔" in text or "✘" in text):
            found[current] = text
            current = None
    return found


def assert_all_crossed(nb, wrong):
    assert nbrun.errors(nb) == [], nbrun.errors(nb)
    seen = verdicts_by_answer(nb)
    for exercise, answers in wrong.items():
        for name in answers:
            text = seen.get(f"{exercise}: {name}")
            assert text is not None, f"{exercise}: {name}: no verdict in {seen}"
            assert "✘" in text, f"{exercise}: {name} passed: {text}"
            assert all(line[:1] in "✔✘" for line in text.splitlines()), text
