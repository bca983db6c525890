"""Lesson 08, testing async code without waiting: what a learner must see when it runs."""
import re

import nbrun

LESSON = "08-testing-without-waiting"
REPORT = re.compile(r"^(.+): virtual time (\d+\.\d\d) s, real time (\d+\.\d+) s$", re.M)
SUMMARY = re.compile(r"^(\d+) tests?: (\d+) passed, (\d+) failed", re.M)


def reports(text: str) -> dict[str, tuple[float, float]]:
    return {what: (float(virtual), float(real)) for what, virtual, real in REPORT.findall(text)}


def test_the_junit_tests_in_the_notebook_all_pass(executed):
    text = nbrun.all_text(executed(LESSON))
    summaries = SUMMARY.findall(text)
    assert summaries, "runTests printed no summary"
    for total, passed, failed in summaries:
        assert int(total) >= 4 and passed == total and failed == "0", (total, passed, failed)
    assert "✔ ContentTest.getPostsReturnsThePosts()" in text
    assert "✔ LoadTimeTest.gatheredTakesOneVirtualSecond()" in text


def test_virtual_seconds_pass_in_milliseconds(executed):
    found = reports(nbrun.all_text(executed(LESSON)))
    assert set(found) >= {"one fetch", "gathered", "one after the other"}, found
    assert found["one fetch"][0] == 1.00 and found["gathered"][0] == 1.00
    assert found["one after the other"][0] == 2.00
    for what, (_, real) in found.items():
        assert real < 0.5, f"{what} took {real} s of real time"


def test_the_fake_delay_records_the_one_second_wait(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "asked to wait: [PT1S]" in text
    slow, fast = nbrun.times(executed(LESSON))[:2]
    assert 0.95 <= slow < 1.8 and fast < 0.3, (slow, fast)


def test_the_virtual_timelines_are_drawn(executed):
    nb = executed(LESSON)
    pictures = nbrun.rich_outputs(nb, "image/svg+xml") + nbrun.rich_outputs(nb, "text/html")
    assert any("<svg" in p and "gathered, on virtual time" in p and "one after the other, on virtual time" in p
               for p in pictures)


def test_the_notebook_shows_the_tests_kept_in_src(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "class ContentLessonTest" in text
    assert (nbrun.ROOT / "src/test/java/asynclab/lesson/ContentLessonTest.java").is_file()


def test_the_lesson_names_the_tools():
    prose = nbrun.prose(LESSON)
    assert "# 08 · Testing async code without waiting" in prose
    for words in ("Mockito", "Thread.sleep", "make test-java"):
        assert words in prose, words


