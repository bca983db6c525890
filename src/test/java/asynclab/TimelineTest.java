package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static asynclab.Lab.timeline;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TimelineTest {
    private static final Duration ONE = Duration.ofSeconds(1);

    @Test
    void theClassExample() throws Exception {
        Content content = Lab.content();
        String printed = Out.capture(() -> {
            Timeline gathered = timeline("Gathered");   // @start region=example
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                pool.submit(() -> gathered.track("posts", content::getPosts));
                pool.submit(() -> gathered.track("albums", content::getAlbums));
            }
            gathered.show();
            // @end
            assertTrue(gathered.overlap("posts", "albums"));
            assertEquals(1.0, gathered.total().toNanos() / 1e9, 0.5);
        });
        assertTrue(printed.startsWith("Gathered — total 1.0"), printed);
    }

    /** n tasks on a virtual clock: task i starts at i*stagger and lasts one second. */
    static Timeline tasks(int n, Duration stagger) {
        VirtualClock clock = new VirtualClock();
        Timeline t = Timeline.start(n + " tasks", clock);
        for (int i = 0; i < n; i++) {
            CompletableFuture<Void> start = clock.after(stagger.multipliedBy(i));
            String label = "task " + (i + 1);
            start.thenCompose(v -> t.trackAsync(label, () -> clock.after(ONE)));
        }
        clock.runUntilIdle();
        return t;
    }

    @Test
    void trackRecordsStartEndAndThread() {
        VirtualClock clock = new VirtualClock();
        Timeline t = Timeline.start("by hand", clock);
        try (var span = t.begin("cafe")) {
            clock.advanceBy(ONE);
        }
        var task = t.task("cafe").orElseThrow();
        assertEquals(Duration.ZERO, task.start());
        assertEquals(ONE, task.end().orElseThrow());
        assertEquals(Thread.currentThread().getName(), task.thread());
        assertEquals(ONE, t.total());
        assertEquals("by hand", t.title());
    }

    @Test
    void trackReturnsTheValueAndEndsOnExceptions() {
        Timeline t = Timeline.start("t");
        assertEquals(42, t.track("answer", () -> 42));
        var boom = new IllegalArgumentException("boom");
        assertSame(boom, assertThrows(IllegalArgumentException.class, () -> t.track("fails", () -> {
            throw boom;
        })));
        var e = assertThrows(CompletionException.class, () -> t.track("checked", () -> {
            throw new IOException("x");
        }));
        assertTrue(e.getCause() instanceof IOException);
        assertTrue(t.tasks().stream().allMatch(x -> x.end().isPresent()), "every task ended");
        t.track("void block", () -> { });
        assertEquals(4, t.tasks().size());
    }

    @Test
    void trackAsyncEndsWhenTheFutureDoesAndKeepsItsOutcome() {
        VirtualClock clock = new VirtualClock();
        Timeline t = Timeline.start("async", clock);
        var f = t.trackAsync("posts", () -> clock.after(ONE).thenApply(v -> "posts"));
        assertTrue(t.task("posts").orElseThrow().end().isEmpty(), "running");
        clock.runUntilIdle();
        assertEquals("posts", f.join());
        assertEquals(ONE, t.task("posts").orElseThrow().end().orElseThrow());
        var failed = t.trackAsync("fails", () -> CompletableFuture.failedFuture(new IOException("no")));
        assertTrue(failed.isCompletedExceptionally());
        assertThrows(NullPointerException.class, () -> t.trackAsync("null", () -> null));
        assertTrue(t.task("null").orElseThrow().end().isPresent());
    }

    @Test
    void overlapAndMaxOverlap() {
        Timeline gathered = tasks(2, Duration.ZERO);
        Timeline sequential = tasks(2, ONE);
        assertEquals(2, gathered.mostAtOnce());
        assertEquals(1, sequential.mostAtOnce(), "touching ends do not overlap");
        assertTrue(gathered.overlap("task 1", "task 2"));
        assertFalse(sequential.overlap("task 1", "task 2"));
        assertFalse(gathered.overlap("task 1", "nope"));
        assertEquals(ONE, gathered.total());
        assertEquals(Duration.ofSeconds(2), sequential.total());
    }

    @Test
    void anEmptyTimelineStillDraws() {
        Timeline t = Timeline.start("empty");
        assertTrue(t.svg().contains("no tasks recorded"));
        assertTrue(t.text().contains("no tasks recorded"));
        assertEquals(Duration.ZERO, t.total());
        assertEquals(0, t.mostAtOnce());
    }

    @Test
    void aRunningTaskIsMarked() {
        Timeline t = Timeline.start("running");
        t.begin("forever");
        assertTrue(t.text().contains("(running)"));
        assertTrue(t.svg().contains("stroke-dasharray"));
    }

    @Test
    void svgIsAccessible() {
        String svg = tasks(2, Duration.ZERO).svg();
        assertTrue(svg.startsWith("<svg ") && svg.endsWith("</svg>"));
        assertTrue(svg.contains("role=\"img\""));
        var m = Pattern.compile("aria-labelledby=\"([^ ]+) ([^\"]+)\"").matcher(svg);
        assertTrue(m.find());
        assertTrue(svg.contains("<title id=\"" + m.group(1) + "\">Timeline: 2 tasks</title>"));
        assertTrue(svg.contains("<desc id=\"" + m.group(2) + "\">"));
        assertTrue(svg.contains("task 1 0.00–1.00 s"), svg);
        assertTrue(svg.contains("at most 2 running at once"));
        assertTrue(svg.contains(">task 1 1.00 s</text>"), "label on the bar");
    }

    @Test
    void labelsAreEscaped() {
        Timeline t = Timeline.start("<b>&");
        t.track("<script>", () -> 1);
        String svg = t.svg();
        assertFalse(svg.contains("<script>"));
        assertTrue(svg.contains("&lt;script&gt;") && svg.contains("&lt;b&gt;&amp;"));
    }

    @Test
    void twoFiftyAndAThousandTasks() {
        for (int n : new int[] {2, 50, 1000}) {
            Timeline t = tasks(n, Duration.ofMillis(3));
            String svg = t.svg();
            String text = t.text();
            long rects = Pattern.compile("<rect ").matcher(svg).results().count();
            assertEquals(Math.min(n, Timeline.MAX_ROWS - (n > Timeline.MAX_ROWS ? 1 : 0)), rects, n + " tasks");
            assertEquals(n > Timeline.MAX_ROWS, svg.contains("more tasks"), n + " tasks");
            assertTrue(svg.length() < 20_000, n + " tasks: " + svg.length() + " chars");
            assertTrue(text.lines().count() <= Timeline.MAX_ROWS + 2, n + " tasks: " + text.lines().count() + " lines");
            assertEquals(n, t.tasks().size());
            System.out.printf("timeline of %d tasks: svg %,d bytes, text %,d chars, max overlap %d%n",
                    n, svg.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, text.length(), t.mostAtOnce());
        }
        assertEquals(334, tasks(1000, Duration.ofMillis(3)).mostAtOnce());
    }

    @Test
    void stackedTimelinesShareOneAxis() {
        Timeline sequential = tasks(2, ONE);
        Timeline gathered = tasks(2, Duration.ZERO);
        String svg = sequential.svg(gathered);
        assertTrue(svg.contains("Timeline: 2 tasks vs 2 tasks"));
        assertEquals(1, Pattern.compile(">seconds<").matcher(svg).results().count(), "one axis");
        String text = sequential.text(gathered);
        assertTrue(text.contains("total 2.00 s") && text.contains("total 1.00 s"), text);
        assertThrows(NullPointerException.class, () -> sequential.svg((Timeline) null));
    }

    @Test
    void textDrawsBarsInProportion() {
        String text = tasks(2, ONE).text();
        List<String> rows = text.lines().filter(l -> l.contains("|")).toList();
        assertEquals(2, rows.size(), text);
        assertTrue(rows.get(0).contains("|" + "█".repeat(20) + " ".repeat(20) + "|"), text);
        assertTrue(rows.get(1).contains("|" + " ".repeat(20) + "█".repeat(20) + "|"), text);
    }

    @Test
    void recordingFromManyThreadsLosesNothing() throws Exception {
        Timeline t = Timeline.start("threads");
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 500; i++) {
                int n = i;
                pool.submit(() -> t.track("t" + n, () -> n));
            }
        }
        assertEquals(500, t.tasks().size());
    }

    @Test
    void tasksStartedTogetherKeepOneOrderBetweenPictures() {
        for (List<String> begun : List.of(List.of("posts", "albums"), List.of("albums", "posts"))) {
            VirtualClock clock = new VirtualClock();
            Timeline t = Timeline.start("together", clock);
            begun.forEach(label -> clock.after(ONE).thenRun(t.begin(label)::end));
            clock.runUntilIdle();
            assertEquals(List.of("albums", "posts"), t.tasks().stream().map(Timeline.Task::name).toList(), "begun " + begun);
        }
        Timeline many = Timeline.start("many");
        for (String label : List.of("task 10", "task 2", "task 1")) {
            many.track(label, () -> 0);
        }
        assertEquals(List.of("task 1", "task 2", "task 10"), many.tasks().stream().map(Timeline.Task::name).toList());
    }

    @Test
    void tasksStartedApartStayInOrderOfStart() {
        VirtualClock clock = new VirtualClock();
        Timeline t = Timeline.start("apart", clock);
        var posts = t.begin("posts");
        clock.advanceBy(ONE);
        posts.end();
        var albums = t.begin("albums");
        clock.advanceBy(ONE);
        albums.end();
        assertEquals(List.of("posts", "albums"), t.tasks().stream().map(Timeline.Task::name).toList());
    }

    @Test
    void naturalOrderComparesNumbersAsNumbers() {
        assertTrue(Timeline.naturally("task 2", "task 10") < 0);
        assertTrue(Timeline.naturally("task 010", "task 9") > 0);
        assertTrue(Timeline.naturally("albums", "posts") < 0);
        assertEquals(0, Timeline.naturally("a1", "a01"));
    }
}
