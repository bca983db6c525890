"""Lesson 03, the guide's Content example loaded gathered, as tasks and one after the other."""
import re

import nbrun

LESSON = "03-gather-vs-sequential"
LINE = re.compile(r"Execution time: (\d+\.\d\d) seconds\.")


def test_the_lesson_prints_the_guides_timing_lines(executed):
    nb = executed(LESSON)
    assert len(nbrun.times(nb)) >= 6, nbrun.all_text(nb)
    text = nbrun.all_text(nb)
    assert "[Post[id=1, title=Lorem Ipsum]]" in text and "[Album[id=1, title=Mona Lisa]]" in text


def test_app_prints_exactly_the_guides_three_lines(executed):
    cells = nbrun.tagged(executed(LESSON), "app")
    assert len(cells) == 1, "exactly one cell is tagged app"
    lines = nbrun.text_of(cells[0]).strip().splitlines()
    assert len(lines) == 3, lines
    assert all(LINE.fullmatch(line) for line in lines), lines
    gathered, tasks, sequential = (float(LINE.fullmatch(line).group(1)) for line in lines)
    assert 0.9 <= gathered <= 1.6, lines
    assert 0.9 <= tasks <= 1.6, lines
    assert 1.9 <= sequential <= 2.9, lines


def test_the_three_loads_are_drawn_on_one_chart(executed):
    nb = executed(LESSON)
    pictures = nbrun.rich_outputs(nb, "image/svg+xml") + nbrun.rich_outputs(nb, "text/html")
    drawn = [p for p in pictures if "<svg" in p]
    assert drawn, "no timeline was drawn"
    assert any("gathered" in p and "tasks from names" in p and "one after the other" in p for p in drawn)


def test_the_common_pool_pitfall_is_shown_with_the_machines_numbers(executed):
    text = nbrun.all_text(executed(LESSON))
    assert re.search(r"cores: \d+, common pool parallelism: \d+", text)
    assert re.search(r"common pool: Execution time: \d+\.\d\d seconds\.", text)


def test_the_lesson_has_its_title():
    assert "# 03 · Gather vs sequential" in nbrun.prose(LESSON)




def test_content_is_declared_once():
    nb = nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb")
    classes = [c.source for c in nbrun.code_cells(nb) if c.source.startswith("class Content ")]
    assert len(classes) == 1, "Content is declared once"
