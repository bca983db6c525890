"""Feeds plausible wrong answers, and right answers written another way, to a lesson's checks in
one notebook run (the lessons' tests). One record shape, one runner, one judge:

    ANSWERS = [
        wrong("ex1", "one after the other", '''String both(...) { ... }'''),
        wrong("ex2", "no timeout", '''...''', line="gives up in time"),   # a ✘ line saying so
        right("ex1", "allOf, then read each", '''...'''),
    ]
    seen = run(LESSON, ANSWERS)          # {"ex1: one after the other": "✘ …", …}
    assert_judged(seen, ANSWERS)

`run` builds the notebook: the lesson's setup cell and the cells containing any `keep` snippet (or,
with `exercises=True`, everything from `## Exercises` on as well, for lessons whose checks need the
cells between an exercise and its check), or the `context` cells a test gives; then per answer
the answer (JShell replaces the earlier definition), then copies of the exercise's `helpers` cells
and its check cell(s), each marked in its metadata as judging that answer; after the last answer of
an exercise, its `then` cells (the worked answer, for later steps to build on). An answer's verdict
is the text of the cells that judged it.
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
    line: str | None       # right answer: None; wrong: "" (any ✘) or words the ✘ line must say
    marks: str = ""        # if given, the first character of each verdict line, in order: "✔✘"

    @property
    def key(self) -> str:
        return f"{self.exercise}: {self.name}"


def wrong(exercise: str, name: str, source: str, line: str = "") -> Answer:
    """A wrong answer: its check must print a ✘ line (one that says `line`, if given)."""
    return Answer(exercise, name, source, line)


def right(exercise: str, name: str, source: str) -> Answer:
    """A right answer written another way than the worked one: its check must print only ✔ lines."""
    return Answer(exercise, name, source, None)


def judged(exercise: str, name: str, source: str, marks: str) -> Answer:
    """An answer whose checks must print exactly these verdicts, in order ("✔✘": the first check
    passes, the second crosses): a wrong answer that is right as far as the first check sees."""
    return Answer(exercise, name, source, "" if "✘" in marks else None, marks)


def exercises_only(nb, *keep):
    """The setup cell, the cells containing any of `keep`, and everything from ## Exercises on:
    what the checks need, without re-running the lesson's demonstrations."""
    cut = next(i for i, c in enumerate(nb.cells)
               if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    nb.cells = [c for i, c in enumerate(nb.cells)
                if i >= cut or (c.cell_type == "code" and _kept(c, keep))]
    return nb


def _kept(cell, keep) -> bool:
    """The setup cell, and the code cells containing a `keep` snippet (an exercise's stub too, when
    a kept cell calls what the exercise declares)."""
    return "setup" in cell.metadata.get("tags", []) or any(k in cell.source for k in keep)


def checks_of(nb) -> dict[str, list]:
    """{exercise: [its check cells]} of a lesson."""
    found: dict[str, list] = {}
    for cell in nbrun.tagged(nb, "check"):
        found.setdefault(cell.metadata["exercise"], []).append(cell)
    return found


def _judging(cells, key: str) -> list:
    """Copies of `cells`, each marked as judging the answer `key` (read back by `verdicts`)."""
    marked = [copy.deepcopy(c) for c in cells]
    for cell in marked:
        cell.metadata["judges"] = key
    return marked


def run(lesson: str, answers: list[Answer], *, keep=(), exercises: bool = False,
        context: list | None = None, helpers: dict | None = None, then: dict | None = None,
        timeout: int = 120) -> dict[str, str]:
    """Each answer's verdict, {answer.key: text}, from one run of the lesson's checks."""
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{lesson}.ipynb")
    checks = checks_of(nb)
    if context is not None:
        cells = [copy.deepcopy(c) for c in context]
    elif exercises:
        cells = exercises_only(copy.deepcopy(nb), *keep).cells
    else:
        cells = [c for c in nb.cells if c.cell_type == "code" and _kept(c, keep)]
    keys = [a.key for a in answers]
    assert len(set(keys)) == len(keys), f"two answers share a name: {keys}"
    for i, answer in enumerate(answers):
        cells.append(nbformat.v4.new_code_cell(answer.source.strip()))
        cells.extend(_judging((helpers or {}).get(answer.exercise, []) + checks[answer.exercise],
                              answer.key))
        last_of_exercise = i + 1 == len(answers) or answers[i + 1].exercise != answer.exercise
        if last_of_exercise:
            cells.extend(copy.deepcopy((then or {}).get(answer.exercise, [])))
    nb.cells = cells
    ran = nbrun.execute(nb, cwd=nbrun.NOTEBOOKS, timeout=timeout)
    assert nbrun.errors(ran) == [], nbrun.errors(ran)
    return Verdicts(verdicts(ran), stray_threads=ran.metadata.get("stray_threads"))


class Verdicts(dict):
    """{answer.key: verdict text}, and the threads the run left behind (nbrun's "[]" for none)."""

    def __init__(self, found: dict, stray_threads: str | None):
        super().__init__(found)
        self.stray_threads = stray_threads


def verdicts(nb) -> dict[str, str]:
    """{"ex2: one after the other": "✘ …"}: the text of the cells that judged each answer."""
    found: dict[str, str] = {}
    for cell in nbrun.code_cells(nb):
        if "judges" in cell.metadata:
            key = cell.metadata["judges"]
            found[key] = found.get(key, "") + nbrun.text_of(cell)
    return found


def assert_judged(seen: dict[str, str], answers: list[Answer]):
    """Wrong answers got a ✘ line (saying their `line`), right ones only ✔ lines; every
    verdict is verdict lines only, with no stack trace."""
    for answer in answers:
        text = seen.get(answer.key)
        assert text is not None, f"{answer.key}: no verdict in {list(seen)}"
        lines = text.strip().splitlines()
        assert not nbrun.STACK_TRACE.search(text), f"{answer.key}: a stack trace:\n{text}"
        assert lines and all(l[:1] in "✔✘" for l in lines), f"{answer.key}: not only verdicts:\n{text}"
        if answer.marks:
            assert "".join(l[:1] for l in lines) == answer.marks, f"{answer.key}: {lines}"
        if answer.line is None:
            assert all(l.startswith("✔") for l in lines), f"{answer.key} crossed:\n{text}"
        else:
            assert re.search(rf"^✘ .*{re.escape(answer.line)}", text, re.M), \
                f"{answer.key} passed, or not with ✘ {answer.line!r}:\n{text}"



def judging(lesson: str, wrong_answers: list[Answer], right_answers: list[Answer], **how):
    """What a lesson's test module binds, in one statement:

        verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
            LESSON, WRONG, RIGHT, keep=("String shop(",))

    a module-scoped fixture that runs every answer through the lesson's checks once (`run`, with
    `how`), and the two tests that judge the wrong and the right ones, marked `kernel`. Tests of
    what a particular verdict says take the `verdicts` fixture as well."""
    import pytest

    @pytest.fixture(scope="module")
    def verdicts():
        return run(lesson, wrong_answers + right_answers, **how)

    @pytest.mark.kernel
    def test_wrong_answers_get_a_cross(verdicts):
        assert wrong_answers, "no wrong answers to judge"
        assert_judged(verdicts, wrong_answers)

    @pytest.mark.kernel
    def test_right_answers_get_only_ticks(verdicts):
        assert right_answers, "no right answers written another way"
        assert_judged(verdicts, right_answers)

    return verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks
