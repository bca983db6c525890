"""Lesson 02, async primitives: what a learner must see when it runs top to bottom."""
import re

import nbrun

LESSON = "02-async-primitives"


def test_threads_say_what_kind_they_are(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "trying on clothes on thread fitting-room" in text
    assert "buying a console on console-till, virtual: true" in text
    assert "fetch on virtual thread 'shopper-1'" in text
    assert "thenApply on virtual thread 'shopper-1'" in text
    assert "thenApplyAsync on virtual thread 'shopper-2'" in text
    assert "this cell runs on platform thread" in text
    assert "still running after join? true" not in text


def test_futures_overlap_the_two_fetches(executed):
    text = nbrun.all_text(executed(LESSON))
    assert "Lorem Ipsum" in text and "Mona Lisa" in text
    for label in ("two fetches, one executor", "combine, then compose", "non-blocking fetches",
                  "own executor"):
        assert 0.95 <= nbrun.seconds(text, label) < 1.8, label
    assert "1 post, 1 album, then coffee" in text


def test_blocking_waits_queue_and_timers_do_not(executed):
    text = nbrun.all_text(executed(LESSON))
    assert 1.95 <= nbrun.seconds(text, "4 blocking waits, 2 threads") < 2.8
    assert 0.95 <= nbrun.seconds(text, "4 non-blocking waits, 2 threads") < 1.8


def test_the_common_pool_pitfall_matches_the_machine(executed):
    text = nbrun.all_text(executed(LESSON))
    parallelism = int(re.search(r"common pool parallelism: (\d+)", text).group(1))
    assert "supplyAsync without an executor uses the common pool: true" in text
    no_executor = nbrun.seconds(text, "no executor")
    if parallelism == 1:
        assert 1.95 <= no_executor < 2.8, "one worker runs the two blocking fetches in turn"
    else:
        assert 0.95 <= no_executor < 1.8


def test_the_pitfall_is_drawn(executed):
    pictures = nbrun.rich_outputs(executed(LESSON), "image/svg+xml") + \
        nbrun.rich_outputs(executed(LESSON), "text/html")
    assert any("<svg" in p and "without an executor" in p and "virtual-thread executor" in p
               for p in pictures)


def test_the_asyncio_table_maps_every_tool():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    tables = [c.source for c in nb.cells if c.cell_type == "markdown" and "| asyncio | Java |" in c.source]
    assert len(tables) == 1
    rows = [line for line in tables[0].splitlines() if line.startswith("| ") and "asyncio | Java" not in line]
    for tool in ("async def", "await", "asyncio.run", "asyncio.sleep", "create_task", "gather",
                 "wait_for", "as_completed", "TaskGroup", "Semaphore", "cancel"):
        row = next((r for r in rows if tool in r.split("|")[1]), None)
        assert row, f"no row for {tool}"
        assert len([part for part in row.split("|")[1:-1] if part.strip()]) == 3, row


def test_the_lesson_has_its_title():
    assert "# 02 · Async primitives" in nbrun.prose(LESSON)


