"""Feeds plausible wrong answers to a lesson's checks in one notebook run (the lessons' tests).

`wrong_answers_notebook(lesson, {"ex2": {"one after the other": "<answer cell>"}})` runs the
lesson's setup cell (and the cells containing any `keep` snippet), then for each wrong answer a
marker line, the answer cell (JShell replaces the earlier definition) and a copy of the
exercise's check cell. `assert_all_crossed` asserts each got a ✘ line and only verdict lines.

Lessons 04, 06 and 08 list their wrong answers as (exercise, name, ✘ line, answer) tuples instead:
`verdicts_after_exercises` runs them after the lesson's exercises, `assert_crossed` judges them.
"""
import copy
import re

import nbformat

from course import nbrun


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


def together(wrong: dict, right: dict) -> dict:
    """The wrong and the right answers of each exercise in one table, for one notebook run."""
    return {ex: {**wrong.get(ex, {}), **right.get(ex, {})} for ex in {**wrong, **right}}


def assert_all_ticked(nb, right):
    """Each right answer of `right` (written another way than the worked one) got only ✔ lines."""
    assert nbrun.errors(nb) == [], nbrun.errors(nb)
    seen = verdicts_by_answer(nb)
    for exercise, answers in right.items():
        for name in answers:
            lines = seen.get(f"{exercise}: {name}", "").strip().splitlines()
            assert lines and all(line.startswith("✔") for line in lines), f"{exercise}: {name}: {lines}"


def verdicts_after_exercises(lesson, wrong, *keep):
    """The output of each (exercise, name, ✘ line, answer) of `wrong`'s check after its answer."""
    nb = exercises_only(nbrun.read(nbrun.NOTEBOOKS / f"{lesson}.ipynb"), *keep)
    checks = {c.metadata["exercise"]: c.source for c in nbrun.tagged(nb, "check")}
    for exercise, _, _, answer in wrong:
        nb.cells.append(nbformat.v4.new_code_cell(answer.strip()))
        nb.cells.append(nbformat.v4.new_code_cell(checks[exercise]))
    ran = nbrun.execute(nb, cwd=nbrun.NOTEBOOKS)
    return [nbrun.text_of(c) for c in ran.cells[-2 * len(wrong) + 1::2]]


def assert_crossed(wrong, verdicts):
    """Each verdict has a line starting with its answer's expected ✘ line, and no stack trace."""
    for (exercise, name, line, _), text in zip(wrong, verdicts, strict=True):
        assert re.search(rf"^✘ {re.escape(line)}", text, re.M), f"{exercise}, {name}: {text!r}"
        assert not nbrun.STACK_TRACE.search(text), f"{exercise}, {name}: a stack trace"


def answers_then_checks(wrong: dict, helpers: dict, checks: dict, then: dict | None = None,
                        width: int = 60):
    """For each answer of `wrong` ({exercise: [answer source, ...]}): the answer, copies of the
    exercise's `helpers` cells and of its check cell (or list of them); after an exercise's
    answers, copies of `then[exercise]` if given (the right answer, for later steps to build on).
    Returns the cells and, per answer, (exercise, its first line of code, `width` characters)."""
    cells, order = [], []
    for exercise, answers in wrong.items():
        its_checks = checks[exercise] if isinstance(checks[exercise], list) else [checks[exercise]]
        for answer in answers:
            cells.append(nbformat.v4.new_code_cell(answer))
            cells.extend(copy.deepcopy(helpers[exercise] + its_checks))
            order.append((exercise, answer.splitlines()[1][:width] if "\n" in answer else answer[:width]))
        cells.extend(copy.deepcopy((then or {}).get(exercise, [])))
    return cells, order
