"""Every exercise is proven solvable, and every check proven to tell a right answer from the stub.

For each lesson: its check cells print ✘ on the untouched stubs; the solutions notebook's print ✔;
and the lesson with each stub replaced by its solution prints ✔ as well.
"""
import copy
import re

import pytest

import nbrun

PAIRS = [(lesson, nbrun.NOTEBOOKS / "solutions" / lesson.name) for lesson in nbrun.lessons()]
IDS = [lesson.stem for lesson, _ in PAIRS]


def by_exercise(nb, tag):
    return {c.metadata.get("exercise"): c for c in nbrun.tagged(nb, tag)}


def verdicts(nb):
    return {c.metadata.get("exercise"): nbrun.text_of(c) for c in nbrun.tagged(nb, "check")}


def assert_all(outcome, mark, other, where):
    assert outcome, f"{where}: no check cells ran"
    for exercise, text in outcome.items():
        assert mark in text and other not in text, f"{where} {exercise}: {text.strip()[:300]!r}"
        assert not re.search(r"^\s+at \S+\(", text, re.M), f"{where} {exercise}: a stack trace"
        lines = text.strip().splitlines()
        assert all(line[:1] in "✔✘" for line in lines), f"{where} {exercise}: only verdict lines: {text!r}"


@pytest.mark.parametrize("lesson,solutions", PAIRS, ids=IDS)
def test_exercises_are_complete(lesson, solutions):
    nb, sol = nbrun.read(lesson), nbrun.read(solutions)
    stubs, checks = by_exercise(nb, "exercise"), by_exercise(nb, "check")
    answers, sol_checks = by_exercise(sol, "solution"), by_exercise(sol, "check")
    assert len(stubs) >= 2, "every lesson has at least two exercises"
    assert set(stubs) == set(checks) == set(answers) == set(sol_checks)
    for exercise, cell in checks.items():
        assert sol_checks[exercise].source == cell.source, f"{exercise}: the check differs in the solutions"


@pytest.mark.parametrize("lesson,solutions", PAIRS, ids=IDS)
def test_checks_fail_kindly_on_the_stubs(lesson, solutions, executed):
    nb = executed(lesson.name)
    assert_all(verdicts(nb), "✘", "✔", lesson.name)


@pytest.mark.parametrize("lesson,solutions", PAIRS, ids=IDS)
def test_checks_pass_in_the_solutions(lesson, solutions, executed):
    nb = executed(f"solutions/{solutions.name}")
    assert nbrun.errors(nb) == []
    assert_all(verdicts(nb), "✔", "✘", solutions.name)


@pytest.mark.parametrize("lesson,solutions", PAIRS, ids=IDS)
def test_solutions_fit_the_lesson(lesson, solutions):
    nb = copy.deepcopy(nbrun.read(lesson))
    answers = by_exercise(nbrun.read(solutions), "solution")
    for cell in nbrun.tagged(nb, "exercise"):
        cell.source = answers[cell.metadata["exercise"]].source
    done = nbrun.execute(nb, cwd=nbrun.NOTEBOOKS)
    assert nbrun.errors(done) == []
    assert_all(verdicts(done), "✔", "✘", f"{lesson.name} with solutions")
