package asynclab;

import static asynclab.Lab.content;
import static asynclab.Lab.virtualClock;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
    private static final Duration ONE = Duration.ofSeconds(1);
    private static final List<Post> POSTS = List.of(new Post(1, "Lorem Ipsum"));
    private static final List<Album> ALBUMS = List.of(new Album(1, "Mona Lisa"));

    @Test
    void theClassExample() {
        var clock = virtualClock();               // @start region=example
        var content = content(clock);
        var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::of);
        clock.runUntilIdle();                          // both timers fire at virtual second 1
        assertEquals(ONE, clock.elapsed());            // PT1S
        assertEquals(List.of(ONE, ONE), clock.requestedDelays());
        assertEquals(List.of(POSTS, ALBUMS), both.join());
        // @end
    }

    @Test
    void gatheredFuturesTakeOneVirtualSecondAndAFewRealMilliseconds() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        Timed<List<Object>> timed = Lab.measure(() -> {
            var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::<Object>of);
            assertFalse(both.isDone());
            clock.runUntilIdle();
            return both.join();
        });
        assertEquals(List.of(List.of(new Post(1, "Lorem Ipsum")), List.of(new Album(1, "Mona Lisa"))), timed.value());
        assertEquals(ONE, clock.elapsed());
        assertEquals(List.of(ONE, ONE), clock.requestedDelays());
        assertTrue(timed.seconds() < 0.5, "real time " + timed.seconds());
        System.out.printf("virtual clock, gathered futures: virtual %s, real %.1f ms%n", clock.elapsed(), timed.seconds() * 1e3);
    }

    @Test
    void allOfWorksToo() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        var posts = content.getPostsAsync();
        var albums = content.getAlbumsAsync();
        var all = CompletableFuture.allOf(posts, albums);
        clock.runUntilIdle();
        assertTrue(all.isDone());
        assertEquals(ONE, clock.elapsed());
    }

    @Test
    void sequentialFuturesTakeTwoVirtualSeconds() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        var both = content.getPostsAsync().thenCompose(p -> content.getAlbumsAsync().thenApply(a -> List.of(p, a)));
        clock.runUntilIdle();
        assertEquals(2, both.join().size());
        assertEquals(Duration.ofSeconds(2), clock.elapsed());
    }

    @Test
    void runGatheredOnWatchedThreadsIsOneSecondSequentialIsTwo() {
        VirtualClock gathered = new VirtualClock();
        Content c1 = new Content(gathered);
        Timed<List<Object>> g = Lab.measure(() -> gathered.run(() -> {
            try (var pool = gathered.newExecutor()) {
                Future<List<Post>> posts = pool.submit(c1::getPosts);
                Future<List<Album>> albums = pool.submit(c1::getAlbums);
                return List.<Object>of(posts.get(), albums.get());
            }
        }));
        VirtualClock sequential = new VirtualClock();
        Content c2 = new Content(sequential);
        Timed<List<Object>> s = Lab.measure(() -> sequential.run(() -> List.<Object>of(c2.getPosts(), c2.getAlbums())));
        assertEquals(g.value(), s.value());
        assertEquals(ONE, gathered.elapsed());
        assertEquals(Duration.ofSeconds(2), sequential.elapsed());
        assertTrue(g.seconds() < 0.5 && s.seconds() < 0.5, "real " + g.seconds() + " / " + s.seconds());
        System.out.printf("virtual clock, run(): gathered virtual %s real %.1f ms; sequential virtual %s real %.1f ms%n",
                gathered.elapsed(), g.seconds() * 1e3, sequential.elapsed(), s.seconds() * 1e3);
    }

    @Test
    void aThousandSleepingTasksTakeOneVirtualSecond() {
        VirtualClock clock = new VirtualClock();
        Timed<Integer> t = Lab.measure(() -> clock.run(() -> {
            List<Future<Integer>> futures = new ArrayList<>();
            try (var pool = clock.newExecutor()) {
                for (int i = 0; i < 1000; i++) {
                    int n = i;
                    futures.add(pool.submit(() -> {
                        clock.sleep(ONE);
                        return n;
                    }));
                }
            }
            int sum = 0;
            for (var f : futures) {
                sum += f.get();
            }
            return sum;
        }));
        assertEquals(499_500, t.value());
        assertEquals(ONE, clock.elapsed());
        assertEquals(1000, clock.requestedDelays().size());
        assertTrue(t.seconds() < 5, "real " + t.seconds());
        System.out.printf("virtual clock, 1000 sleeping tasks: real %.1f ms%n", t.seconds() * 1e3);
    }

    @Test
    void runTakesBlocksAndMethodReferencesToo() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        clock.run(() -> clock.sleep(ONE));
        List<Post> posts = clock.run(content::getPosts);
        List<Post> again = clock.run(() -> content.getPosts());
        assertEquals(posts, again);
        assertEquals(Duration.ofSeconds(3), clock.elapsed());
    }

    @Test
    void advanceByFiresOnlyWhatIsDue() {
        VirtualClock clock = new VirtualClock();
        var soon = clock.after(Duration.ofMillis(300));
        var later = clock.after(Duration.ofMillis(700));
        clock.advanceBy(Duration.ofMillis(500));
        assertTrue(soon.isDone());
        assertFalse(later.isDone());
        assertEquals(Duration.ofMillis(500), clock.elapsed());
        assertEquals(1, clock.pendingTimers());
        clock.advanceBy(Duration.ofMillis(200));
        assertTrue(later.isDone());
        assertEquals(Duration.ofMillis(700), clock.elapsed());
    }

    @Test
    void timersFireInTimeOrderThenInTheOrderSet() {
        VirtualClock clock = new VirtualClock();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        clock.after(Duration.ofMillis(20)).thenRun(() -> order.add("c"));
        clock.after(Duration.ofMillis(10)).thenRun(() -> order.add("a"));
        clock.after(Duration.ofMillis(10)).thenRun(() -> order.add("b"));
        clock.runUntilIdle();
        assertEquals(List.of("a", "b", "c"), order);
    }

    @Test
    void runUntilIdleFollowsTimersSetByTimers() {
        VirtualClock clock = new VirtualClock();
        var chain = clock.after(ONE).thenCompose(v -> clock.after(ONE)).thenCompose(v -> clock.after(ONE));
        clock.runUntilIdle();
        assertTrue(chain.isDone());
        assertEquals(Duration.ofSeconds(3), clock.elapsed());
    }

    @Test
    void theSameProgramGivesTheSameTimesEveryRun() {
        List<List<Duration>> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            VirtualClock clock = new VirtualClock();
            Timeline t = Timeline.start("run", clock);
            Content content = new Content(clock);
            t.trackAsync("posts", content::getPostsAsync)
                    .thenCompose(p -> t.trackAsync("albums", content::getAlbumsAsync));
            clock.runUntilIdle();
            runs.add(t.tasks().stream().flatMap(x -> List.of(x.start(), x.end().orElseThrow()).stream()).toList());
        }
        assertEquals(List.of(Duration.ZERO, ONE, ONE, Duration.ofSeconds(2)), runs.get(0));
        runs.forEach(r -> assertEquals(runs.get(0), r));
    }

    @Test
    void zeroDelayIsDoneAtOnceAndNegativeIsRefused() throws Exception {
        VirtualClock clock = new VirtualClock();
        assertTrue(clock.after(Duration.ZERO).isDone());
        clock.sleep(Duration.ZERO);
        assertThrows(IllegalArgumentException.class, () -> clock.after(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> clock.sleep(Duration.ofSeconds(-1)));
        assertThrows(NullPointerException.class, () -> clock.after(null));
        assertThrows(IllegalArgumentException.class, () -> new VirtualClock(Duration.ZERO));
        assertEquals(Duration.ZERO, clock.elapsed());
    }

    @Test
    void aSleepThatNothingAdvancesEndsWithAClearException() {
        VirtualClock clock = new VirtualClock(Duration.ofMillis(200));
        var e = assertThrows(IllegalStateException.class, () -> clock.sleep(ONE));
        assertTrue(e.getMessage().contains("clock.run("), e.getMessage());
        assertEquals(0, clock.pendingTimers(), "the timer is withdrawn");
    }

    @Test
    void anotherThreadCanAdvanceAWatchedSleeper() throws Exception {
        VirtualClock clock = new VirtualClock();
        AtomicReference<Duration> wokeAt = new AtomicReference<>();
        try (var pool = clock.newExecutor()) {
            pool.submit(() -> {
                clock.sleep(ONE);
                wokeAt.set(clock.elapsed());
                return null;
            });
            while (clock.pendingTimers() == 0) {
                Thread.onSpinWait();
            }
            clock.advanceBy(Duration.ofSeconds(5));
            assertEquals(ONE, wokeAt.get(), "advanceBy waits for the woken thread before moving on");
        }
        assertEquals(Duration.ofSeconds(5), clock.elapsed());
    }

    @Test
    void anUnwatchedSleeperWakesToo() throws Exception {
        VirtualClock clock = new VirtualClock();
        CountDownLatch woke = new CountDownLatch(1);
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                clock.sleep(ONE);
                woke.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        while (clock.pendingTimers() == 0) {
            Thread.onSpinWait();
        }
        clock.advanceBy(ONE);
        assertTrue(woke.await(2, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(t.join(Duration.ofSeconds(2)));
    }

    @Test
    void anInterruptedSleepWithdrawsItsTimer() throws Exception {
        VirtualClock clock = new VirtualClock();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                clock.sleep(ONE);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        while (clock.pendingTimers() == 0) {
            Thread.onSpinWait();
        }
        t.interrupt();
        assertTrue(t.join(Duration.ofSeconds(2)));
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertEquals(0, clock.pendingTimers());
    }

    @Test
    void runPassesExceptionsThrough() {
        VirtualClock clock = new VirtualClock();
        var boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> clock.run(() -> {
            clock.sleep(ONE);
            throw boom;
        })));
        var wrapped = assertThrows(CompletionException.class, () -> clock.run(() -> {
            throw new IOException("disk");
        }));
        assertInstanceOf(IOException.class, wrapped.getCause());
        assertEquals(ONE, clock.elapsed());
    }

    @Test
    void aDeadlockUnderRunEndsWithAClearException() {
        VirtualClock clock = new VirtualClock(Duration.ofMillis(300));
        CountDownLatch never = new CountDownLatch(1);
        var e = assertThrows(IllegalStateException.class, () -> clock.run(() -> {
            never.await();
            return null;
        }));
        assertTrue(e.getMessage().contains("no timer is set"), e.getMessage());
    }

    @Test
    void workThatNeverWaitsOnTheClockHitsTheGuardAndIsInterrupted() {
        VirtualClock clock = new VirtualClock(Duration.ofMillis(300));
        AtomicReference<Boolean> interrupted = new AtomicReference<>(false);
        long start = System.nanoTime();
        var e = assertThrows(IllegalStateException.class, () -> clock.run(() -> {
            long until = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < until) {
                if (Thread.currentThread().isInterrupted()) {
                    interrupted.set(true);
                    return null;
                }
            }
            return null;
        }));
        assertTrue(e.getMessage().contains("still running"), e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 2, "gave up after the guard");
        assertTrue(interrupted.get(), "the work was interrupted");
    }

    @Test
    void timelinesCanReadVirtualTime() {
        VirtualClock clock = new VirtualClock();
        Content content = new Content(clock);
        Timeline t = Timeline.start("virtual", clock);
        clock.run(() -> {
            try (var pool = clock.newExecutor()) {
                pool.submit(() -> t.track("posts", content::getPosts));
                pool.submit(() -> t.track("albums", content::getAlbums));
            }
            return null;
        });
        assertEquals(ONE, t.total());
        assertEquals(2, t.mostAtOnce());
        assertTrue(t.overlap("posts", "albums"));
    }

    @Test
    void aWatchedThreadWaitingOnTheRealClockIsNotJumpedPast() {
        VirtualClock clock = new VirtualClock();
        AtomicReference<Duration> afterRealSleep = new AtomicReference<>();
        clock.run(() -> {
            try (var pool = clock.newExecutor()) {
                pool.submit(() -> {
                    Thread.sleep(300);                  // real time, outside the clock
                    afterRealSleep.set(clock.elapsed());
                    return null;
                });
                pool.submit(() -> {
                    clock.sleep(ONE);
                    return null;
                });
            }
        });
        assertEquals(Duration.ZERO, afterRealSleep.get(), "time waited for the real sleep");
        assertEquals(ONE, clock.elapsed());
    }

    @Test
    void workThatIgnoresTheInterruptIsNoLongerWatched() throws Exception {
        VirtualClock clock = new VirtualClock(Duration.ofMillis(300));
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            assertThrows(IllegalStateException.class, () -> clock.run(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();                // ignores the interrupt
                }
            }));
            clock.after(ONE);
            Timed<Void> later = Lab.measure(() -> {
                clock.runUntilIdle();
                clock.advanceBy(ONE);
                return null;
            });
            assertEquals(Duration.ofSeconds(2), clock.elapsed());
            assertTrue(later.seconds() < 0.25, "later calls do not wait for it: " + later.seconds());
        } finally {
            stop.set(true);
        }
    }

    @Test
    void timersSetTogetherByThreadsWokenTogetherFireInTheSameOrderEveryRun() {
        for (int run = 0; run < 20; run++) {
            VirtualClock clock = new VirtualClock();
            List<Integer> order = Collections.synchronizedList(new ArrayList<>());
            clock.run(() -> {
                try (var pool = clock.newExecutor()) {
                    for (int i = 0; i < 5; i++) {
                        int n = i;
                        pool.submit(() -> {
                            clock.sleep(ONE);
                            clock.after(ONE).thenRun(() -> order.add(n));
                            return null;
                        });
                    }
                }
            });
            clock.runUntilIdle();
            assertEquals(List.of(0, 1, 2, 3, 4), order, "run " + run + ": in the order the threads were started");
            assertEquals(Duration.ofSeconds(2), clock.elapsed());
        }
    }
}
