"""nbgrader for real, through the real Java kernel: `make assignments` makes the release versions,
and autograde scores submissions with right, wrong, hanging and unanswered exercises.

The small source notebook tests/data/99-grading-demo.ipynb has three exercises checked with the
errand verbs; the real lesson lessons/03 is graded too. Scores are read from nbgrader's gradebook.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import time

import nbformat
import pytest

from course import paths

ROOT = pathlib.Path(__file__).resolve().parent.parent
BIN = pathlib.Path(sys.executable).parent
DEMO = "99-grading-demo"
LESSON = "04-gather-vs-sequential"
STUB = 'throw new UnsupportedOperationException("your turn");'

pytestmark = [pytest.mark.slow, pytest.mark.kernel, pytest.mark.xdist_group("nbgrader")]


def env():
    e = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", ASYNCLAB_LIB=str(ROOT / "lib"))
    e.pop("NBGRADER_EXECUTION", None)
    return e


def nbgrader(course: pathlib.Path, *args: str, timeout: float = 400) -> subprocess.CompletedProcess:
    done = subprocess.run([str(BIN / "nbgrader"), *args, f"--CourseDirectory.root={course}"], cwd=course,
                          env=env(), capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done


def cells(nb, grade_id: str):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id]


def answer(nb, exercise: str, body: str):
    """Replaces the body of the exercise's method (everything between its first line and last `}`)."""
    cell = cells(nb, f"{exercise}-answer")[0]
    lines = cell.source.split("\n")
    cell.source = "\n".join([lines[0], body, "}"])


def solved(nb, source, exercise: str):
    """The exercise answered as the source notebook answers it, markers removed."""
    given = cells(source, f"{exercise}-answer")[0].source
    cells(nb, f"{exercise}-answer")[0].source = "\n".join(
        line for line in given.split("\n") if "BEGIN SOLUTION" not in line and "END SOLUTION" not in line)


def submit(course: pathlib.Path, assignment: str, student: str, nb):
    folder = course / "submitted" / student / assignment
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{assignment}.ipynb")


def scores(course: pathlib.Path, assignment: str, student: str, exercises) -> dict:
    code = (
        "import json, sys\nfrom nbgrader.api import Gradebook\n"
        f"with Gradebook('sqlite:///{course / 'gradebook.db'}') as gb:\n"
        f"    print(json.dumps({{ex: gb.find_grade(ex + '-check', {assignment!r}, {assignment!r}, {student!r}).score"
        f" for ex in {list(exercises)!r}}}))\n")
    return json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                                     env=env()).stdout)


def check_output(course: pathlib.Path, assignment: str, student: str, exercise: str) -> str:
    nb = nbformat.read(course / "autograded" / student / assignment / f"{assignment}.ipynb", as_version=4)
    cell = cells(nb, f"{exercise}-check")[0]
    return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.get("outputs", []))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """`make assignments` into a fresh course folder, with the demo notebook added as one more assignment."""
    course = tmp_path_factory.mktemp("nbgrader")
    made = subprocess.run(["make", "-s", "assignments", f"NBGRADER_DIR={course}"], cwd=ROOT, env=env(),
                          capture_output=True, text=True, timeout=600)
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    (course / "source" / DEMO).mkdir()
    shutil.copy(ROOT / "tests" / "data" / f"{DEMO}.ipynb", course / "source" / DEMO)
    nbgrader(course, "generate_assignment", DEMO, "--force")
    return course


def test_make_assignments_releases_every_lesson_with_its_solutions_stripped(course):
    lessons = sorted(p.stem for p in paths.sources())
    assert lessons, "no lessons/ sources"
    for name in lessons + [DEMO]:
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        source = nbformat.read(course / "source" / name / f"{name}.ipynb", as_version=4)
        answers = [c for c in release.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert "BEGIN SOLUTION" not in json.dumps(release), name
        for c in answers:
            assert "// YOUR CODE HERE" in c.source and STUB in c.source, (name, c.source)
        for c in release.cells:
            meta = c.metadata.get("nbgrader", {})
            if meta.get("grade"):
                assert meta.get("locked") and meta.get("points") and c.metadata.get("editable") is False, (name, meta)
        given = [c for c in source.cells if c.metadata.get("nbgrader", {}).get("solution")]
        assert len(given) == len(answers), name
    demo = nbformat.read(course / "release" / DEMO / f"{DEMO}.ipynb", as_version=4)
    assert len([c for c in demo.cells if c.metadata.get("nbgrader", {}).get("grade")]) == 3


def test_autograde_gives_points_only_to_right_answers_and_ends_despite_a_hang(course):
    source = nbformat.read(course / "source" / DEMO / f"{DEMO}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / DEMO / f"{DEMO}.ipynb", as_version=4)
    mixed = nbformat.from_dict(json.loads(json.dumps(release)))
    solved(mixed, source, "ex1")
    answer(mixed, "ex2", """    var pool = Executors.newVirtualThreadPerTaskExecutor();
    Future<String> f = pool.submit(posts::get);
    try {
        return f.get(patience.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
        return "gave up";   // stops waiting, but the fetch keeps running
    }""")
    answer(mixed, "ex3", "    return new CompletableFuture<List<String>>().join();   // waits forever")
    submit(course, DEMO, "mixed", mixed)
    submit(course, DEMO, "blank", release)
    started = time.monotonic()
    nbgrader(course, "autograde", DEMO, "--create")
    took = time.monotonic() - started
    assert scores(course, DEMO, "mixed", ["ex1", "ex2", "ex3"]) == {"ex1": 1.0, "ex2": 0.0, "ex3": 0.0}
    assert scores(course, DEMO, "blank", ["ex1", "ex2", "ex3"]) == {"ex1": 0.0, "ex2": 0.0, "ex3": 0.0}
    # the learner still sees the kind line, then the AssertionError that scores it zero
    assert check_output(course, DEMO, "mixed", "ex1").startswith("✔ loadBoth runs both at once")
    wrong = check_output(course, DEMO, "mixed", "ex2")
    assert wrong.startswith("✘ postsOrGiveUp cancels a late fetch") and "not finished" in wrong, wrong
    assert "AssertionError" in wrong, wrong
    hang = check_output(course, DEMO, "mixed", "ex3")
    assert hang.startswith("✘ ") and "still running after 5 s" in hang, hang
    assert "not answered yet" in check_output(course, DEMO, "blank", "ex1")
    # two kernels, each a few seconds to start; the hang costs its 5-second limit, not a cell timeout
    assert took < 240, f"autograde took {took:.0f} s"


def test_autograde_scores_a_real_lesson(course):
    source = nbformat.read(course / "source" / LESSON / f"{LESSON}.ipynb", as_version=4)
    release = nbformat.read(course / "release" / LESSON / f"{LESSON}.ipynb", as_version=4)
    exercises = sorted({c.metadata["exercise"] for c in release.cells if "check" in c.metadata.get("tags", [])})
    assert len(exercises) >= 2, exercises
    first, *rest = exercises
    learner = nbformat.from_dict(json.loads(json.dumps(release)))
    solved(learner, source, first)
    submit(course, LESSON, "learner", learner)
    nbgrader(course, "autograde", LESSON, "--create")
    got = scores(course, LESSON, "learner", exercises)
    assert got == {first: 1.0, **{ex: 0.0 for ex in rest}}, got
