"""Lesson 10, testing async code without waiting: what a learner must see when it runs."""
import re

import pytest

from course import nbrun
from course.wronganswers import judging, right, wrong

LESSON = "10-testing-without-waiting"
REPORT = re.compile(r"^(.+): virtual time (\d+\.\d\d) s, real time (\d+\.\d+) s$", re.M)
SUMMARY = re.compile(r"^(\d+) tests?: (\d+) passed, (\d+) failed", re.M)


def reports(text: str) -> dict[str, tuple[float, float]]:
    return {what: (float(virtual), float(real)) for what, virtual, real in REPORT.findall(text)}


@pytest.mark.kernel
def test_the_junit_tests_in_the_notebook_all_pass(executed):
    text = nbrun.all_text(executed(LESSON))
    summaries = SUMMARY.findall(text)
    assert summaries, "runTests printed no summary"
    assert int(summaries[0][0]) >= 4, "ContentTest and LoadTimeTest run together first"
    for total, passed, failed in summaries:
        assert passed == total and failed == "0", (total, passed, failed)
    assert "✔ ContentTest.getPostsReturnsThePosts()" in text
    assert "✔ LoadTimeTest.gatheredTakesOneVirtualSecond()" in text


@pytest.mark.kernel
def test_virtual_seconds_pass_in_milliseconds(executed):
    found = reports(nbrun.all_text(executed(LESSON)))
    assert set(found) >= {"one fetch", "gathered", "one after the other"}, found
    assert found["one fetch"][0] == 1.00 and found["gathered"][0] == 1.00
    assert found["one after the other"][0] == 2.00
    for what, (_, real) in found.items():
        assert real < 0.5, f"{what} took {real} s of real time"


@pytest.mark.kernel
def test_the_fake_delay_records_the_one_second_wait(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "asked to wait: [PT1S]" in text
    slow, fast = nbrun.times(executed(LESSON))[:2]
    assert 0.95 <= slow < 1.8 and fast < 0.3, (slow, fast)


@pytest.mark.kernel
def test_the_virtual_timelines_are_drawn(executed):
    nb = executed(LESSON)
    pictures = nbrun.rich_outputs(nb, "image/svg+xml") + nbrun.rich_outputs(nb, "text/html")
    assert any("<svg" in p and "gathered, on virtual time" in p and "one after the other, on virtual time" in p
               for p in pictures)


@pytest.mark.kernel
def test_the_notebook_shows_the_tests_kept_in_src(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "class ContentLessonTest" in text
    assert (nbrun.ROOT / "src/test/java/asynclab/lesson/ContentLessonTest.java").is_file()


def test_the_lesson_names_the_tools():
    prose = nbrun.prose(LESSON)
    assert "# 10 · Testing async code without waiting" in prose
    for words in ("Mockito", "Thread.sleep", "make test-java", "**Prerequisites:**", "**Time:**"):
        assert words in prose, words


@pytest.mark.kernel
def test_a_test_that_cannot_fail_is_shown_passing(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "✔ TooKindTest.returnsThePosts()" in text


@pytest.mark.kernel
def test_the_solutions_find_the_tests_kept_in_src(executed):
    text = nbrun.all_text(executed("solutions/" + LESSON))
    assert "class ContentLessonTest" in text


EX1 = """
class SequentialDelaysTest {
    VirtualClock clock = virtualClock();
    Content content = CONTENT;
    @Test void sequentialAsksForTwoOneSecondWaits() {BODY}
}"""
EX3 = """
class GatherTest {
    VirtualClock clock = virtualClock();
    Content content = content(clock);
    @Test void gathersPostsAndAlbumsInOneSecond() {BODY}
}"""


def ex1(body, content="contentUnderTest.get().apply(clock)"):
    """Exercise 1's given SequentialDelaysTest with a learner's test body (and Content line)."""
    return EX1.replace("CONTENT", content).replace("BODY", body)


def ex3(body):
    """Exercise 3's given GatherTest with a learner's test body."""
    return EX3.replace("BODY", body)


WRONG = [
    wrong("ex1", "an empty test", ex1(" "), line="SequentialDelaysTest passes on Content and fails"),
    wrong("ex1", "asserting only the data", ex1("""
        assertEquals(List.of(List.of(new Post(1, "Lorem Ipsum")), List.of(new Album(1, "Mona Lisa"))),
                     clock.run(() -> List.of(content.getPosts(), content.getAlbums())));
    """), line="SequentialDelaysTest passes on Content and fails"),
    wrong("ex1", "counting the waits only", ex1("""
        clock.run(() -> List.of(content.getPosts(), content.getAlbums()));
        assertEquals(2, clock.requestedDelays().size());
    """), line="SequentialDelaysTest passes on Content and fails"),
    wrong("ex1", "a Content of its own", ex1("""
        clock.run(() -> List.of(content.getPosts(), content.getAlbums()));
        assertEquals(Duration.ofSeconds(2), clock.elapsed());
    """, content="content(clock)"), line="SequentialDelaysTest passes on Content and fails"),
    wrong("ex2", "completeOnTimeout on the wall clock", """
CompletableFuture<List<Post>> postsOrNothing(Content content, Delay delay, Duration limit) {
    return content.getPostsAsync().completeOnTimeout(List.of(), limit.toMillis(), TimeUnit.MILLISECONDS);
}""", line="an empty list at the 0.5 s deadline"),
    wrong("ex2", "the real clock", """
CompletableFuture<List<Post>> postsOrNothing(Content content, Delay delay, Duration limit) {
    return content.getPostsAsync().applyToEither(
        realDelay().after(limit).thenApply(d -> List.<Post>of()), p -> p);
}""", line="an empty list at the 0.5 s deadline"),
    wrong("ex2", "get(limit) on a real thread", """
CompletableFuture<List<Post>> postsOrNothing(Content content, Delay delay, Duration limit) {
    try {
        return CompletableFuture.completedFuture(
                content.getPostsAsync().get(limit.toMillis(), TimeUnit.MILLISECONDS));
    } catch (Exception e) {
        return CompletableFuture.completedFuture(List.of());
    }
}""", line="an empty list at the 0.5 s deadline"),
    wrong("ex3", "join() before the clock runs", ex3("""
        var loaded = loadUnderTest.get().apply(content);
        var value = loaded.join();
        clock.runUntilIdle();
        assertEquals(List.of(List.of(new Post(1, "Lorem Ipsum")), List.of(new Album(1, "Mona Lisa"))), value);
        assertEquals(Duration.ofSeconds(1), clock.elapsed());
    """), line="GatherTest passes on the gathered load"),
    wrong("ex3", "the elapsed time only", ex3("""
        loadUnderTest.get().apply(content);
        clock.runUntilIdle();
        assertEquals(Duration.ofSeconds(1), clock.elapsed());
    """), line="GatherTest passes on the gathered load"),
    wrong("ex3", "the value only", ex3("""
        var loaded = loadUnderTest.get().apply(content);
        clock.runUntilIdle();
        assertEquals(List.of(List.of(new Post(1, "Lorem Ipsum")), List.of(new Album(1, "Mona Lisa"))),
                     loaded.join());
    """), line="GatherTest passes on the gathered load"),
]


RIGHT = [
    right("ex1", "the elapsed virtual time", ex1("""
        clock.run(() -> List.of(content.getPosts(), content.getAlbums()));
        assertEquals(Duration.ofSeconds(2), clock.elapsed());
    """)),
    right("ex2", "anyOf", """
CompletableFuture<List<Post>> postsOrNothing(Content content, Delay delay, Duration limit) {
    CompletableFuture<List<Post>> nothing = delay.after(limit).thenApply(d -> List.of());
    return CompletableFuture.anyOf(content.getPostsAsync(), nothing)
            .thenApply(first -> (List<Post>) first);
}"""),
    right("ex3", "joined inside clock.run", ex3("""
        var loaded = clock.run(() -> loadUnderTest.get().apply(content).join());
        assertEquals(List.of(List.of(new Post(1, "Lorem Ipsum")), List.of(new Album(1, "Mona Lisa"))), loaded);
        assertEquals(Duration.ofSeconds(1), clock.elapsed());
    """)),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, exercises=True)


def test_the_mockito_sentence_is_true_of_mockito_after_5_19():
    prose = nbrun.prose(LESSON)
    assert "returns `null` until told" not in prose
    assert "completed\nfuture of `null`" in prose or "completed future of `null`" in prose.replace("\n", " ")
