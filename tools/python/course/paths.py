"""Where things are: the repository, the lessons' sources, the notebooks built from them, the jars.

A lesson's file name is `NN-slug.ipynb`; LESSON_GLOB is that pattern, the only place it is written.
"""
from __future__ import annotations

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[3]   # tools/python/course/paths.py
LESSONS = ROOT / "lessons"            # the one source of each lesson, answers in
NOTEBOOKS = ROOT / "notebooks"        # what learners open, built from LESSONS
SOLUTIONS = NOTEBOOKS / "solutions"   # the worked solutions, built from LESSONS
LIB = ROOT / "lib"
HELPER_JAR = LIB / "asynclab.jar"
BUILD = ROOT / "build"
LESSON_GLOB = "[0-9][0-9]-*.ipynb"


def lessons_in(folder: pathlib.Path) -> list[pathlib.Path]:
    """The lesson notebooks of `folder` (NN-slug.ipynb), in course order."""
    return sorted(pathlib.Path(folder).glob(LESSON_GLOB))


def sources() -> list[pathlib.Path]:
    """lessons/NN-slug.ipynb: what an author edits."""
    return lessons_in(LESSONS)


def lessons() -> list[pathlib.Path]:
    """notebooks/NN-slug.ipynb: the lessons as learners open them."""
    return lessons_in(NOTEBOOKS)


def solutions() -> list[pathlib.Path]:
    """notebooks/solutions/NN-slug.ipynb: the worked solutions."""
    return lessons_in(SOLUTIONS)


def jars() -> list[pathlib.Path]:
    return sorted(LIB.glob("*.jar"))
