"""The lines the helper jar prints and Python reads back (course/printed.py), matched against what
the jar's own printers print: a change of format on either side fails here, by name."""
import pathlib
import subprocess

import pytest

from course import printed
from course.paths import HELPER_JAR, ROOT

pytestmark = pytest.mark.slow   # a JVM of its own

PRINTER = """
import static asynclab.Lab.*;

public class Printer {
    public static void main(String[] args) throws Exception {
        time(() -> Thread.sleep(20));                  // Seconds.line through Lab.time
        time("labelled", () -> Thread.sleep(20));
        var t = timeline("bars");
        t.track("first errand", () -> Thread.sleep(30));
        t.track("second", () -> Thread.sleep(30));
        System.out.println(t.text());                  // GanttText.render
    }
}
"""


@pytest.fixture(scope="module")
def printed_text(tmp_path_factory) -> str:
    jdk = pathlib.Path((ROOT / ".cache/jdk-home").read_text().strip())
    program = tmp_path_factory.mktemp("printer") / "Printer.java"
    program.write_text(PRINTER)
    done = subprocess.run([str(jdk / "bin/java"), "--class-path", str(HELPER_JAR), str(program)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_timing_line_is_read_back(printed_text):
    assert len(printed.times(printed_text)) == 2, printed_text
    assert 0.01 <= printed.seconds(printed_text, "labelled") < 5
    assert printed.TIME_LINE.fullmatch(printed_text.splitlines()[0]), printed_text
    assert printed.TIME_LINE_ANY_DIGITS.fullmatch(printed_text.splitlines()[0]), printed_text


def test_the_timeline_bars_are_read_back(printed_text):
    first, second = printed.bar(printed_text, "first errand"), printed.bar(printed_text, "second")
    assert first[0] <= first[1] <= second[0] + 0.01 <= second[1] + 0.01, printed_text
    assert 0.02 <= second[1] - second[0] < 5, printed_text
