"""Feeds plausible wrong answers, and right answers written another way, to a lesson's checks in
one notebook run (the lessons' tests). One record shape, one runner, one judge:

    ANSWERS = [
        wrong("ex1", "one after the other", '''String both(...) { ... }'''),
        wrong("ex2", "no timeout", '''...''', line="gives up in time"),   # a ✘ line starting so
        right("ex1", "allOf, then read each", '''...'''),
    ]
    seen = run(LESSON, ANSWERS)          # {"ex1: one after the other": "✘ …", …}
    assert_judged(seen, ANSWERS)

`run` builds the notebook: the lesson's setup cell and the cells containing any `keep` snippet (or,
with `exercises=True`, everything from `## Exercises` on as well, for lessons whose checks need the
cells between an exercise and its check), or the `context` cells a test gives; then per answer a
marker line, the answer (JShell replaces the earlier definition), the exercise's `helpers` cells
and its check cell(s); after the last answer of an exercise, its `then` cells (the worked answer,
for later steps to build on). An answer's verdict is the text of the cells after its marker.
"""
from __future__ import annotations

import copy
import re
from typing import NamedTuple

import nbformat

from course import nbrun


class Answer(NamedTuple):
    exercise: str          # the exercise's metadata name: "ex1"
    name: str              # what the answer does, as a test failure names it
    source: str            # the answer cell
    line: str | None       # right answer: None; wrong: "" (any ✘) or the ✘ line's start

    @property
    def key(self) -> str:
        return f"{self.exercise}: {self.name}"


def wrong(exercise: str, name: str, source: str, line: str = "") -> Answer:
    """A wrong answer: its check must print a ✘ line (one starting `✘ {line}` if `line` is given)."""
    return Answer(exercise, name, source, line)


def right(exercise: str, name: str, source: str) -> Answer:
    """A right answer written another way than the worked one: its check must print only ✔ lines."""
    return Answer(exercise, name, source, None)


def exercises_only(nb, *keep):
    """The setup cell, the cells containing any of `keep`, and everything from ## Exercises on:
    what the checks need, without re-running the lesson's demonstrations."""
    cut = next(i for i, c in enumerate(nb.cells)
               if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    nb.cells = [c for i, c in enumerate(nb.cells)
                if i >= cut or "setup" in c.metadata.get("tags", [])
                or (c.cell_type == "code" and any(k in c.source for k in keep))]
    return nb


def checks_of(nb) -> dict[str, list]:
    """{exercise: [its check cells]} of a lesson."""
    found: dict[str, list] = {}
    for cell in nbrun.tagged(nb, "check"):
        found.setdefault(cell.metadata["exercise"], []).append(cell)
    return found


def _marker(key: str):
    return nbformat.v4.new_code_cell(f'System.out.println("# {key}");')


def run(lesson: str, answers: list[Answer], *, keep=(), exercises: bool = False,
        context: list | None = None, helpers: dict | None = None, then: dict | None = None,
        timeout: int = 120) -> dict[str, str]:
    """Each answer's verdict, {answer.key: text}, from one run of the lesson's checks."""
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{lesson}.ipynb")
    checks = checks_of(nb)
    if context is not None:
        cells = [copy.deepcopy(c) for c in context]
    elif exercises:
        cells = [c for c in exercises_only(copy.deepcopy(nb), *keep).cells]
    else:
        cells = [c for c in nb.cells if c.cell_type == "code"
                 and ("setup" in c.metadata.get("tags", []) or any(k in c.source for k in keep))]
    keys = [a.key for a in answers]
    assert len(set(keys)) == len(keys), f"two answers share a name: {keys}"
    for i, answer in enumerate(answers):
        cells.append(_marker(answer.key))
        cells.append(nbformat.v4.new_code_cell(answer.source.strip()))
        cells.extend(copy.deepcopy((helpers or {}).get(answer.exercise, [])))
        cells.extend(copy.deepcopy(checks[answer.exercise]))
        last_of_exercise = i + 1 == len(answers) or answers[i + 1].exercise != answer.exercise
        if last_of_exercise:
            cells.append(_marker("then"))
            cells.extend(copy.deepcopy((then or {}).get(answer.exercise, [])))
    nb.cells = cells
    ran = nbrun.execute(nb, cwd=nbrun.NOTEBOOKS, timeout=timeout)
    assert nbrun.errors(ran) == [], nbrun.errors(ran)
    return verdicts(ran)


def verdicts(nb) -> dict[str, str]:
    """{"ex2: one after the other": "✘ …"}: the text of the cells after each marker line."""
    found, current, marked = {}, None, False
    for cell in nbrun.code_cells(nb):
        text = nbrun.text_of(cell)
        if cell.source.startswith('System.out.println("# '):
            current = None if text.strip() == "# then" else text.strip()[2:]
            marked = True
            if current:
                found[current] = ""
        elif current and marked:
            marked = False          # the answer cell itself: its output is not a verdict
        elif current:
            found[current] += text
    return found


def assert_judged(seen: dict[str, str], answers: list[Answer]):
    """Wrong answers got a ✘ line (starting as their `line` says), right ones only ✔ lines; every
    verdict is verdict lines only, with no stack trace."""
    for answer in answers:
        text = seen.get(answer.key)
        assert text is not None, f"{answer.key}: no verdict in {list(seen)}"
        lines = text.strip().splitlines()
        assert not nbrun.STACK_TRACE.search(text), f"{answer.key}: a stack trace:\n{text}"
        if answer.line is None:
            assert lines and all(l.startswith("✔") for l in lines), f"{answer.key} crossed:\n{text}"
        else:
            assert re.search(rf"^✘ {re.escape(answer.line)}", text, re.M), \
                f"{answer.key} passed, or not with ✘ {answer.line!r}:\n{text}"


# --- the old shapes, until every lesson's test uses the records above ---


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
