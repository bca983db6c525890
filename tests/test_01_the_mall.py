"""Lesson 01, the shopping-mall analogy: what a learner must see when it runs top to bottom."""
import re

import nbrun

LESSON = "01-the-mall"


def test_the_trip_split_up_is_a_second_shorter(executed):
    text = nbrun.all_text(executed(LESSON))
    sequential = nbrun.seconds(text, "one after the other")
    split_up = nbrun.seconds(text, "split up")
    assert 2.95 <= sequential < 3.8, sequential
    assert 1.95 <= split_up < 2.8, split_up
    assert sequential - split_up > 0.7


def test_both_timelines_are_drawn_on_one_chart(executed):
    nb = executed(LESSON)
    pictures = nbrun.rich_outputs(nb, "image/svg+xml") + nbrun.rich_outputs(nb, "text/html")
    drawn = [p for p in pictures if "<svg" in p]
    assert drawn, "no timeline was drawn"
    assert any("One after the other" in p and "Split up at the mall" in p for p in drawn)
    assert any("fitting room" in p and "game console" in p for p in drawn)


def test_one_worker_handles_both_waits(executed):
    text = nbrun.all_text(executed(LESSON))
    assert text.count("seen by the-only-worker") == 2
    assert 0.95 <= nbrun.seconds(text, "one worker, two errands") < 1.8


def test_many_waits_overlap_on_few_cores(executed):
    text = nbrun.all_text(executed(LESSON))
    assert re.search(r"cores: \d+", text) and re.search(r"common pool parallelism: \d+", text)
    assert 0.95 <= nbrun.seconds(text, "1,000 errands") < 2.0


def test_the_lesson_tells_the_story_and_both_ideas():
    prose = nbrun.prose(LESSON)
    assert "# 01 · The shopping-mall analogy" in prose
    for words in ("concurrency", "parallelism"):
        assert words in prose


