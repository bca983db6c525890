"""nbgrader configuration for the course: `make assignments` copies it into the nbgrader course
directory (build/nbgrader/nbgrader_config.py), where nbgrader reads it from the working directory.

- The learner's stub for a Java solution region (`// BEGIN SOLUTION` ... `// END SOLUTION`) is the
  one the course uses everywhere: a comment and `throw new UnsupportedOperationException("your turn")`,
  which the checks read as "not answered yet".
- Autograde runs each notebook with its folder (autograded/<student>/<assignment>/) as the kernel's
  working directory, so the setup cell's `%classpath ../lib/*.jar` would find no jar there (JJava
  then fails the whole setup cell, imports included). `CourseJar` rewrites that line, in the copy
  being graded, to the project's lib/ folder: $ASYNCLAB_LIB if set, else found relative to this
  file (two folders up, both in tools/ and in build/nbgrader/).
- The checks' grading mode needs nothing here: autograde sets NBGRADER_EXECUTION=autograde in the
  environment the kernel inherits, and a ✘ then raises, so its cell scores zero.
"""
import os
import pathlib
import re

from course.lessons import STUB
from nbgrader.converters import Autograde
from nbgrader.preprocessors import NbGraderPreprocessor

LIB = pathlib.Path(os.environ.get("ASYNCLAB_LIB") or pathlib.Path(__file__).resolve().parent.parent / "lib")
CLASSPATH = re.compile(r"^%classpath\s+\.\./lib/\*\.jar\s*$", re.MULTILINE)


class CourseJar(NbGraderPreprocessor):
    """Points the setup cell's `%classpath ../lib/*.jar` at the project's lib/ folder."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and CLASSPATH.search(cell.source):
            cell.source = CLASSPATH.sub(lambda _: f"%classpath {LIB.as_posix()}/*.jar", cell.source)
        return cell, resources


c = get_config()  # noqa: F821 (given by traitlets when it loads this file)

c.ClearSolutions.code_stub = {"java": STUB}   # the stub `make notebooks` puts in the lessons
# A check gives an answer 5 s by default and a JUnit test 10 s; starting the Java kernel takes a few.
c.Execute.timeout = 120
c.Execute.startup_timeout = 180
c.Execute.interrupt_on_timeout = True
# nbgrader's own list, with CourseJar first (before Execute)
c.Autograde.autograde_preprocessors = (
    [CourseJar] + list(Autograde.class_traits()["autograde_preprocessors"].default()))
