"""Every exercise is proven solvable, and every check proven to tell a right answer from the stub.

Each lesson has one source, `lessons/NN-slug.ipynb`, from which `make notebooks` builds the lesson
(solution regions replaced by a stub) and the worked solutions (answers in). The lesson's checks
print ✘ on the stubs; the solutions notebook's print ✔, its exercises run on one CPU beside a busy
neighbour in a JVM sized for one CPU (nbrun.one_busy_cpu), so a correct answer passes on a
Binder-sized machine on a bad day.
"""
import re
import subprocess
import sys

import pytest

from course import nbrun

SOURCE = nbrun.LESSONS
SOURCES = sorted(SOURCE.glob("[0-9][0-9]-*.ipynb"))
IDS = [p.stem for p in SOURCES]


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


def test_notebooks_are_built_from_their_source():
    result = subprocess.run([sys.executable, "-m", "course.lessons", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_exercises_are_complete(source):
    nb = nbrun.read(source)
    answers, checks = by_exercise(nb, "exercise"), by_exercise(nb, "check")
    assert len(answers) >= 2, "every lesson has at least two exercises"
    assert set(answers) == set(checks)
    for exercise, cell in answers.items():
        assert "// BEGIN SOLUTION" in cell.source and "// END SOLUTION" in cell.source, exercise
        assert cell.metadata.nbgrader == {"solution": True, "grade": False, "locked": False,
                                          "grade_id": f"{exercise}-answer", "schema_version": 3}
        check = checks[exercise].metadata.nbgrader
        assert check["grade"] and check["locked"] and check["points"] > 0, exercise
        assert check["grade_id"] == f"{exercise}-check", exercise


@pytest.mark.kernel
@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_checks_fail_kindly_on_the_stubs(source, executed):
    nb = executed(source.name)
    assert_all(verdicts(nb), "✘", "✔", source.name)


@pytest.mark.kernel
@pytest.mark.parametrize("source", SOURCES, ids=IDS)
def test_checks_pass_in_the_solutions(source, executed):
    nb = executed(f"solutions/{source.name}")
    assert nbrun.errors(nb) == []
    assert_all(verdicts(nb), "✔", "✘", f"solutions/{source.name} (one busy CPU)")
