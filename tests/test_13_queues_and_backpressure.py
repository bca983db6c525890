"""Lesson 13, queues and backpressure: asyncio.Queue as a BlockingQueue at the cafe's counter, a bounded
queue slowing the producer, consumers stopped with a closing signal or an interrupt, a Semaphore in
front of the mall's server, and Flow's request(n) with SubmissionPublisher."""
import re

import pytest

from course import nbrun
from course.wronganswers import judging, right, wrong

pytestmark = pytest.mark.kernel

LESSON = "13-queues-and-backpressure"


def out(nb, snippet: str) -> str:
    return nbrun.text_of(nbrun.cell_with(nb, snippet))


def test_it_runs_clean_and_leaves_nothing_running(executed):
    nb = executed(LESSON)
    assert nbrun.errors(nb) == []
    assert nb.metadata["stray_threads"] == "[]"
    assert nbrun.read(nbrun.NOTEBOOKS / f"{LESSON}.ipynb").metadata.kernelspec.name == "java"


def test_the_lesson_has_its_shape():
    prose = nbrun.prose(LESSON)
    assert "# 13 · Queues and backpressure" in prose
    for part in ("**You will learn**", "**Time**", "## Summary", "## Exercises", "asyncio.Queue",
                 "Exercise 3 (stretch)", "Reactor", "RxJava"):
        assert part in prose, part


def test_one_shopper_one_barista_first_in_first_out(executed):
    assert "made: [latte, tea, mocha]" in out(executed(LESSON), "List.of(\"latte\", \"tea\", \"mocha\")")


def test_a_full_counter_makes_the_shopper_wait(executed):
    nb = executed(LESSON)
    text = out(nb, 'timeline("six orders, a counter with room for two")')
    counts = [int(c) for c in re.findall(r"order #\d in; on the counter: (\d)", text)]
    assert len(counts) == 6 and max(counts) <= 2, text
    # the picture: order #6 went in only after the barista had made some drinks
    found = re.search(r"order #6 \|[^|]*\| (\d+\.\d\d)–(\d+\.\d\d) s", text)
    assert found and float(found.group(2)) >= 0.3, text
    assert "at most 2 running at once" in text


def test_closing_signals_stop_every_barista_with_nothing_lost(executed):
    text = out(executed(LESSON), "orders.put(CLOSED)")
    assert "10 of 10 made; left on the counter: []" in text, text


def test_an_interrupt_stops_the_barista_and_hands_back_what_is_left(executed):
    text = out(executed(LESSON), "cafe.shutdownNow();")
    assert "the barista stopped: java.lang.InterruptedException" in text, text
    found = re.search(r"made \[(.*)\], handed back \[(.*)\], executor terminated: true", text)
    assert found, text
    made = [d for d in found.group(1).split(", ") if d]
    back = [d for d in found.group(2).split(", ") if d]
    assert made and back and len(made) + len(back) <= 6, text
    assert not set(made) & set(back)


def test_a_semaphore_in_front_of_the_server_turns_429s_into_waiting(executed):
    text = out(executed(LESSON), "rushTheMall(200, new Semaphore(permits))")
    first, second = text.split("10 permits:")
    assert re.search(r"429=\d+", first) and "rejected=0" not in first, text
    assert "{200=200}" in second and "rejected=0 mostAtOnce=10" in second, text


def test_waiting_virtual_threads_cost_heap_and_the_figure_is_printed(executed):
    text = out(executed(LESSON), "100_000; i++) waiting.execute")
    found = re.search(r"100,000 waiting virtual threads: about (\d+) bytes each; this heap \((\d+) MB\)"
                      r" would hold about (\d+) thousand", text)
    assert found, text
    assert 100 <= int(found.group(1)) <= 20_000, text


def test_submit_waits_and_offer_drops_for_a_slow_subscriber(executed):
    nb = executed(LESSON)
    text = out(nb, "publisher.submit(order)")
    made = int(re.search(r"after submit #8 the barista had made (\d)", text).group(1))
    assert made >= 4, text      # a buffer of two and one drink in hand: at most three behind
    assert "made [#1, #2, #3, #4, #5, #6, #7, #8]" in text
    dropped = out(nb, "publisher.offer(")
    found = re.search(r"made \[(.*)\], dropped \[(.*)\]", dropped)
    assert found and found.group(2), dropped
    assert len(found.group(1).split(", ")) + len(found.group(2).split(", ")) == 8, dropped


KEEP = ("String CLOSED", "Consumer<String> making(", "void barista(", "List<String> orders(int n)",
        "Rush rushHour(", "Callable<Void> takingOrders(", "record Line(", "void takeOrders(", "void serveAll(", "Served servedBy(", "Void relay(",
        "Line rushThroughPipeline(", "Iterator<String> counting(", "List<String> pipeline(")


def take_orders(queue="new ArrayBlockingQueue<>(room)", put="counter.put(drink)",
                barista="    barista.accept(counter);\n") -> str:
    """Exercise 1's answer with one part changed: the queue, how a drink goes in, the barista."""
    return f"""
void takeOrders(List<String> drinks, int room, Consumer<BlockingQueue<String>> barista)
        throws InterruptedException {{
    BlockingQueue<String> counter = {queue};
{barista}    for (String drink : drinks) {put};
}}"""


def pipeline(queue="new ArrayBlockingQueue<String>(2)", feed="toBarista.put(orders.next())") -> str:
    """Exercise 3's answer with one part changed: the queues between the stages, or how orders go in."""
    return f"""
List<String> pipeline(Iterator<String> orders, UnaryOperator<String> make, UnaryOperator<String> serve)
        throws Exception {{
    var toBarista = {queue};
    var toWaiter = {queue};
    var served = new LinkedBlockingQueue<String>();
    try (var cafe = Executors.newVirtualThreadPerTaskExecutor()) {{
        var barista = cafe.submit(() -> relay(toBarista, make, toWaiter));
        var waiter = cafe.submit(() -> relay(toWaiter, serve, served));
        while (orders.hasNext()) {feed};
        toBarista.put(CLOSED);
        barista.get(); waiter.get();
    }}
    return served.stream().filter(d -> !d.equals(CLOSED)).toList();
}}"""


WRONG = [
    wrong("ex1", "an unbounded queue", take_orders("new LinkedBlockingQueue<>()")),
    wrong("ex1", "offer, which drops", take_orders(put="counter.offer(drink)")),
    wrong("ex1", "add, which throws", take_orders(put="counter.add(drink)")),
    wrong("ex1", "no barista", take_orders(barista="")),
    wrong("ex2", "never stopped, left running", """
void serveAll(List<String> drinks, int baristas, Consumer<String> make) throws Exception {
    var queue = new LinkedBlockingQueue<String>();
    var cafe = Executors.newVirtualThreadPerTaskExecutor();
    for (int b = 0; b < baristas; b++) cafe.execute(() -> {
        try { barista(queue, make); } catch (InterruptedException e) { } });
    for (String drink : drinks) queue.put(drink);
    while (!queue.isEmpty()) Thread.sleep(10);
    Thread.sleep(200);
}"""),
    wrong("ex2", "stopped before the queue is drained", """
void serveAll(List<String> drinks, int baristas, Consumer<String> make) throws Exception {
    var queue = new LinkedBlockingQueue<String>();
    try (var cafe = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int b = 0; b < baristas; b++) cafe.execute(() -> {
            try { barista(queue, make); } catch (InterruptedException e) { } });
        for (String drink : drinks) queue.put(drink);
        cafe.shutdownNow();
    }
}"""),
    wrong("ex2", "one closing signal for all", """
void serveAll(List<String> drinks, int baristas, Consumer<String> make) throws Exception {
    var queue = new LinkedBlockingQueue<String>();
    try (var cafe = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<?>> working = new ArrayList<>();
        for (int b = 0; b < baristas; b++) working.add(cafe.submit(() -> { barista(queue, make); return null; }));
        for (String drink : drinks) queue.put(drink);
        queue.put(CLOSED);
        for (var w : working) w.get();
    }
}"""),
    wrong("ex2", "one barista for all", """
void serveAll(List<String> drinks, int baristas, Consumer<String> make) throws Exception {
    var queue = new LinkedBlockingQueue<String>();
    try (var cafe = Executors.newVirtualThreadPerTaskExecutor()) {
        Future<?> one = cafe.submit(() -> { barista(queue, make); return null; });
        for (String drink : drinks) queue.put(drink);
        queue.put(CLOSED);
        one.get();
    }
}"""),
    wrong("ex3", "unbounded queues", pipeline("new LinkedBlockingQueue<String>()")),
    wrong("ex3", "offer, which drops", pipeline(feed="toBarista.offer(orders.next())")),
    wrong("ex3", "one thread, no pipeline", """
List<String> pipeline(Iterator<String> orders, UnaryOperator<String> make, UnaryOperator<String> serve)
        throws Exception {
    List<String> served = new ArrayList<>();
    while (orders.hasNext()) served.add(serve.apply(make.apply(orders.next())));
    return served;
}"""),
    wrong("ex3", "the closing signal is not passed on", """
List<String> pipeline(Iterator<String> orders, UnaryOperator<String> make, UnaryOperator<String> serve)
        throws Exception {
    var toBarista = new ArrayBlockingQueue<String>(2);
    var toWaiter = new ArrayBlockingQueue<String>(2);
    var served = new LinkedBlockingQueue<String>();
    try (var cafe = Executors.newVirtualThreadPerTaskExecutor()) {
        var barista = cafe.submit(() -> { for (String o = toBarista.take(); !o.equals(CLOSED); o = toBarista.take())
            toWaiter.put(make.apply(o)); return null; });
        var waiter = cafe.submit(() -> relay(toWaiter, serve, served));
        while (orders.hasNext()) toBarista.put(orders.next());
        toBarista.put(CLOSED);
        barista.get(); waiter.get();
    }
    return served.stream().filter(d -> !d.equals(CLOSED)).toList();
}"""),
]

# right answers written another way: each must get only ✔
RIGHT = [
    right("ex1", "a bounded LinkedBlockingQueue and offer with a timeout", """
void takeOrders(List<String> drinks, int room, Consumer<BlockingQueue<String>> barista)
        throws InterruptedException {
    var counter = new LinkedBlockingQueue<String>(room);
    barista.accept(counter);
    for (String drink : drinks) {
        if (!counter.offer(drink, 5, TimeUnit.SECONDS)) throw new IllegalStateException("no room");
    }
}"""),
    right("ex2", "a closing flag, a platform pool", """
void serveAll(List<String> drinks, int baristas, Consumer<String> make) throws Exception {
    var queue = new LinkedBlockingQueue<String>();
    var closed = new AtomicBoolean();
    try (var cafe = Executors.newFixedThreadPool(baristas)) {
        List<Future<?>> working = new ArrayList<>();
        for (int b = 0; b < baristas; b++) working.add(cafe.submit(() -> {
            while (!(closed.get() && queue.isEmpty())) {
                String o = queue.poll(20, TimeUnit.MILLISECONDS);
                if (o != null) make.accept(o);
            }
            return null; }));
        for (String drink : drinks) queue.put(drink);
        closed.set(true);
        for (var w : working) w.get();
    }
}"""),
    right("ex3", "a Semaphore on the orders in flight", """
List<String> pipeline(Iterator<String> orders, UnaryOperator<String> make, UnaryOperator<String> serve)
        throws Exception {
    var inFlight = new Semaphore(4);
    var toBarista = new LinkedBlockingQueue<String>();
    var toWaiter = new LinkedBlockingQueue<String>();
    var served = new LinkedBlockingQueue<String>();
    try (var cafe = Executors.newVirtualThreadPerTaskExecutor()) {
        var barista = cafe.submit(() -> relay(toBarista, make, toWaiter));
        var waiter = cafe.submit(() -> relay(toWaiter, d -> { String s = serve.apply(d); inFlight.release(); return s; }, served));
        while (orders.hasNext()) { inFlight.acquire(); toBarista.put(orders.next()); }
        toBarista.put(CLOSED);
        barista.get(); waiter.get();
    }
    return served.stream().filter(d -> !d.equals(CLOSED)).toList();
}"""),
]


verdicts, test_wrong_answers_get_a_cross, test_right_answers_get_only_ticks = judging(
    LESSON, WRONG, RIGHT, keep=KEEP)


