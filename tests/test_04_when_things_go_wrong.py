"""Lesson 04, when things go wrong: what a learner must see when it runs top to bottom."""
import re

import nbrun

LESSON = "04-when-things-go-wrong"


def cell_with(nb, snippet: str):
    """The output text of the one code cell whose source contains `snippet`."""
    found = [c for c in nbrun.code_cells(nb) if snippet in c.source]
    assert len(found) == 1, f"{len(found)} cells contain {snippet!r}"
    return nbrun.text_of(found[0])


def test_a_failing_gather_reports_the_cause_and_the_others_finish(executed):
    text = cell_with(executed(LESSON), 'timeline("One of two tasks fails")')
    assert "join() threw CompletionException" in text
    assert "its cause:   java.lang.IllegalStateException: the fitting room is closed" in text
    assert "posts:       [Post[id=1, title=Lorem Ipsum]]" in text
    assert nbrun.bar(text, "fitting room")[1] < 0.5 and nbrun.bar(text, "posts")[1] >= 0.95


def test_invoke_all_keeps_each_outcome(executed):
    nb = executed(LESSON)
    text = cell_with(nb, "pool.invokeAll(errands)")
    assert re.search(r"SUCCESS\s+\[Post\[id=1, title=Lorem Ipsum\]\]", text)
    assert re.search(r"FAILED\s+java.lang.IllegalStateException: the fitting room is closed", text)
    assert re.search(r"SUCCESS\s+\[Album\[id=1, title=Mona Lisa\]\]", text)
    assert "get() threw ExecutionException, caused by java.lang.IllegalStateException" in cell_with(nb, "outcomes.get(1).get()")


def test_timeouts_are_reported(executed):
    nb = executed(LESSON)
    late = cell_with(nb, ".orTimeout(300")
    assert "gave up: java.util.concurrent.TimeoutException" in late
    assert nbrun.bar(late, "waiting")[1] < 0.6 and nbrun.bar(late, "posts")[1] >= 0.95, "orTimeout should not stop the work"
    assert "posts after 0.3 s: [] (the fallback)" in cell_with(nb, ".completeOnTimeout(")
    text = nbrun.all_text(nb)
    assert "no posts within 0.3 s; cancelled: true" in text
    assert 0.25 <= nbrun.seconds(text, "get with a timeout, then cancel") < 0.8


def test_cancellation_interrupts_and_a_stubborn_task_runs_on(executed):
    nb = executed(LESSON)
    leaving = cell_with(nb, 'timeline("Cancelled after 0.2 s")')
    assert "cancelled: true, state: CANCELLED" in leaving
    assert nbrun.bar(leaving, "posts")[1] < 0.6
    assert "sleep threw InterruptedException; interrupted flag now false" in nbrun.all_text(nb)
    stubborn = cell_with(nb, 'timeline("A task that ignores interruption")')
    assert "cancelled: true, yet the task keeps running" in stubborn
    assert nbrun.bar(stubborn, "stubborn")[1] >= 0.45


def test_the_first_result_wins(executed):
    nb = executed(LESSON)
    text = nbrun.all_text(nb)
    assert text.count("bought at the shop by the entrance") == 2
    assert 0.65 <= nbrun.seconds(text, "anyOf, then close()") < 1.3, "close() should wait for the CompletableFuture's thread"
    race = cell_with(nb, 'timeline("invokeAny")')
    assert nbrun.bar(race, "upstairs")[1] < 0.6, "invokeAny should interrupt the slower shop"


def test_results_come_in_the_order_they_finish(executed):
    text = nbrun.all_text(executed(LESSON))
    assert re.search(r"ready: coffee\s+ready: jacket\s+ready: console", text)


def test_the_semaphore_lets_two_run_at_once(executed):
    nb = executed(LESSON)
    text = cell_with(nb, "new Semaphore(2)")
    assert "6 tasks · at most 2 running at once" in text
    assert 2.9 <= nbrun.seconds(text, "6 fetches, 2 at a time") < 4.0
    ends = sorted(nbrun.bar(text, f"order {i}")[1] for i in range(1, 7))
    assert ends[1] < 1.5 and 1.5 < ends[2] < 2.5 and ends[4] > 2.5, f"not three waves of two: {ends}"


