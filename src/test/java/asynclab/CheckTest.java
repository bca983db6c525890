package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CheckTest {
    private static final Check POSTS = Check.that("posts are loaded").hint("call content.getPosts()");

    private static void oneLine(String line) {
        assertFalse(line.contains("\n") || line.contains("\tat "), line);
        assertTrue(line.startsWith("✔ ") || line.startsWith("✘ "), line);
    }

    @Test
    void aRightAnswerPasses() throws Exception {
        String out = Out.capture(() -> POSTS.expect(List.of("post"), () -> List.of("post")));
        assertEquals("✔ posts are loaded — well done!\n", out.replace("\r\n", "\n"));
    }

    @Test
    void aWrongAnswerSaysWhatWasExpectedAndHints() {
        String line = POSTS.expectLine(List.of("post"), () -> List.of());
        assertEquals("✘ posts are loaded: expected [\"post\"], got []. Hint: call content.getPosts()".replace("[\"post\"]", "[post]"), line);
    }

    @Test
    void nullIsAnAnswerLikeAnyOther() {
        String line = POSTS.expectLine(List.of("post"), () -> null);
        assertEquals("✘ posts are loaded: expected [post], got null. Hint: call content.getPosts()", line);
        assertTrue(Check.that("null").expectLine(null, () -> null).startsWith("✔"));
        oneLine(Check.that("no code").expectLine(1, null));
        assertTrue(Check.that("no code").expectLine(1, null).contains("null instead of code"));
    }

    @Test
    void theStubSaysItIsNotAnsweredYet() {
        String line = POSTS.expectLine(List.of("post"), () -> {
            throw new UnsupportedOperationException("your turn");
        });
        oneLine(line);
        assertTrue(line.contains("not answered yet"), line);
    }

    @Test
    void exceptionsBecomeOneLine() {
        String line = Check.that("x").expectLine(1, () -> {
            throw new IllegalStateException("first line\nsecond line");
        });
        assertEquals("✘ x: expected 1, but it threw IllegalStateException: first line second line.", line);
        String wrapped = Check.that("x").expectLine(1, () -> CompletableFuture.failedFuture(new ArithmeticException("/ by zero")).join());
        assertTrue(wrapped.contains("ArithmeticException: / by zero"), wrapped);
        String npe = Check.that("x").expectLine(1, () -> ((String) null).length());
        oneLine(npe);
        assertTrue(npe.contains("NullPointerException"), npe);
    }

    @Test
    void sameTextDifferentTypesAreToldApart() {
        String line = Check.that("x").expectLine(1, () -> 1L);
        assertEquals("✘ x: expected 1 (Integer), got 1 (Long).", line);
    }

    @Test
    void arraysAreComparedDeeply() {
        assertTrue(Check.that("a").expectLine(new int[] {1, 2}, () -> new int[] {1, 2}).startsWith("✔"));
        assertEquals("✘ a: expected [1, 2], got [2, 1].", Check.that("a").expectLine(new int[] {1, 2}, () -> new int[] {2, 1}));
    }

    @Test
    void longValuesAreCut() {
        String line = Check.that("a").expectLine("y", () -> "x".repeat(1000));
        assertTrue(line.length() < 260, line.length() + "");
        assertTrue(line.contains("…"));
    }

    @Test
    void aNeverEndingAnswerTimesOutAndIsInterrupted() {
        AtomicBoolean interrupted = new AtomicBoolean();
        Work<Integer> forever = () -> {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
            return 1;
        };
        long start = System.nanoTime();
        String line = POSTS.within(Duration.ofMillis(200)).expectLine(1, forever);
        assertTrue((System.nanoTime() - start) / 1e9 < 2);
        oneLine(line);
        assertTrue(line.contains("still running after 0.2 s (it has been stopped)"), line);
        assertTrue(line.endsWith("Hint: call content.getPosts()"), line);
        assertTrue(interrupted.get());
    }

    @Test
    void aNeverCompletingFutureTimesOut() {
        String line = Check.that("future").within(Duration.ofMillis(200)).expectLine("x", () -> new CompletableFuture<String>().join());
        oneLine(line);
        assertTrue(line.contains("still running"), line);
    }

    @Test
    void anAnswerThatIgnoresInterruptsIsReported() {
        AtomicBoolean stop = new AtomicBoolean();
        String line = Check.that("spin").within(Duration.ofMillis(100)).expectLine(1,
            () -> {
            while (!stop.get()) {
                Thread.onSpinWait();
            }
            return 1;
        });
        stop.set(true);
        assertTrue(line.contains("did not stop when interrupted"), line);
    }

    @Test
    void badLimitsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Check.that("x").within(Duration.ZERO));
        assertThrows(NullPointerException.class, () -> Check.that(null));
        assertThrows(IllegalArgumentException.class, () -> Check.that("x").takesAboutLine(-1, () -> { }));
    }

    @Test
    void satisfies() {
        assertTrue(Check.that("two").satisfiesLine("a list of two", l -> l.size() == 2, () -> List.of(1, 2)).startsWith("✔"));
        assertEquals("✘ two: expected a list of two, got [1].", Check.that("two").satisfiesLine("a list of two", l -> l.size() == 2, () -> List.of(1)));
        assertTrue(Check.that("two").satisfiesLine("a list of two", l -> l.size() == 2, () -> (List<Integer>) null).startsWith("✘"), "a predicate that throws fails");
    }

    @Test
    void takesAbout() {
        String quick = Check.that("quick").takesAboutLine(0.2, () -> Thread.sleep(200));
        assertTrue(quick.startsWith("✔ quick (took 0.2"), quick);
        String slow = Check.that("gathered").hint("run both at once").takesAboutLine(0.0, () -> Thread.sleep(600));
        assertTrue(slow.startsWith("✘ gathered: expected it to take about 0.00 s, got 0.6"), slow);
        assertTrue(slow.endsWith("Hint: run both at once"), slow);
        String threw = Check.that("t").takesAboutLine(1, () -> {
            throw new UnsupportedOperationException("your turn");
        });
        assertTrue(threw.contains("not answered yet"), threw);
    }

    @Test
    void overlaps() {
        Timeline together = Timeline.start("together");
        try (var a = together.begin("posts"); var b = together.begin("albums")) {
            sleep(5);
        }
        Timeline apart = Timeline.start("apart");
        apart.track("posts", () -> sleep(5));
        apart.track("albums", () -> sleep(5));
        assertEquals("✔ overlap — well done!", Check.that("overlap").overlapsLine("posts", "albums", together));
        String no = Check.that("overlap").overlapsLine("posts", "albums", apart);
        assertTrue(no.contains("one after the other"), no);
        String missing = Check.that("overlap").overlapsLine("posts", "photos", apart);
        assertTrue(missing.contains("expected a task called \"photos\"") && missing.contains("only [posts, albums]"), missing);
        assertTrue(Check.that("overlap").overlapsLine("a", "b", null).contains("got null"));
        assertTrue(Check.that("overlap").overlapsLine("a", "b", Timeline.start("empty")).contains("no tasks at all"));
    }

    @Test
    void runsInSteps() {
        var steps = List.of(List.of("drive"), List.of("posts", "albums"), List.of("cafe"));
        Check c = Check.that("steps");
        Timeline right = Timeline.start("right");
        right.track("drive", () -> sleep(5));
        try (var a = right.begin("posts"); var b = right.begin("albums")) {
            sleep(5);
        }
        right.track("cafe", () -> sleep(5));
        assertEquals("✔ steps — well done!", StepsVerdict.line(c, steps, () -> right));
        Timeline turns = Timeline.start("turns");
        for (String name : List.of("drive", "posts", "albums", "cafe")) turns.track(name, () -> sleep(5));
        String one = StepsVerdict.line(c, steps, () -> turns);
        assertTrue(one.contains("\"posts\" 0.0") && one.contains("one after the other"), one);
        Timeline misspelt = Timeline.start("misspelt");
        misspelt.track("drive", () -> sleep(5));
        misspelt.track("post", () -> sleep(5));
        String spelt = StepsVerdict.line(c, steps, () -> misspelt);
        assertTrue(spelt.contains("expected a task called \"posts\"") && spelt.contains("\"post\" 0.0"), spelt);
        Timeline open = Timeline.start("open");
        open.track("drive", () -> sleep(5));
        var posts = open.begin("posts");
        try (var b = open.begin("albums")) {
            sleep(5);
        }
        open.track("cafe", () -> sleep(5));
        String running = StepsVerdict.line(c, steps, () -> open);
        posts.end();
        assertTrue(running.contains("\"posts\" still running"), running);
        Timeline early = Timeline.start("early");
        early.track("drive", () -> sleep(5));
        try (var a = early.begin("posts"); var b = early.begin("albums")) {
            early.track("cafe", () -> sleep(5));
        }
        String soon = StepsVerdict.line(c, steps, () -> early);
        assertTrue(soon.contains("expected \"cafe\" to start after \"posts\" ended"), soon);
        assertTrue(StepsVerdict.line(c, steps, () -> null).contains("got null"));
        assertTrue(StepsVerdict.line(c, steps, () -> Timeline.start("empty")).contains("no tasks at all"));
        Timeline twice = Timeline.start("twice");
        for (String name : List.of("drive", "posts", "posts", "albums", "cafe")) twice.track(name, () -> sleep(5));
        assertTrue(StepsVerdict.line(c, steps, () -> twice).contains("one task called \"posts\", got 2"));
    }

    @Test
    void isVirtualThread() {
        Check v = Check.that("virtual");
        assertTrue(v.isVirtualThreadLine(Thread::currentThread).contains("got the platform thread \"check\""));
        assertTrue(v.isVirtualThreadLine(() -> null).contains("got null"));
        assertTrue(v.isVirtualThreadLine(() -> {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                return pool.submit(Thread::currentThread).get();
            }
        }).startsWith("✔"));
    }

    @Test
    void leavesNoThreadsRunning() {
        Check c = Check.that("clean");
        String clean = c.leavesNoThreadsRunningLine(() -> {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                pool.submit(() -> sleep(50));
            }
        });
        assertEquals("✔ clean — well done!", clean);
        String leaky = c.leavesNoThreadsRunningLine(() -> {
            var pool = Executors.newVirtualThreadPerTaskExecutor();
            pool.submit(() -> sleep(1500));
        });
        oneLine(leaky);
        assertTrue(leaky.contains("got 1 still running: virtual thread"), leaky);
        String platform = c.leavesNoThreadsRunningLine(() -> Thread.ofPlatform().name("straggler").start(() -> sleep(1500)));
        assertTrue(platform.contains("thread \"straggler\""), platform);
        String threw = c.leavesNoThreadsRunningLine(() -> {
            throw new IllegalStateException("x");
        });
        assertTrue(threw.contains("threw IllegalStateException"), threw);
    }

    private static Object sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }
}
