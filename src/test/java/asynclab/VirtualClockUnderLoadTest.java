package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The capstone lesson's page, on the virtual clock, many times over while busy threads load
 * the cores: a thread that has to wait a moment to set up its watchdog must not let the clock
 * jump past the watchdog's timer (lesson 14, {@code lateOffersAreLeftOutAtTheirBudget}).
 */
class VirtualClockUnderLoadTest {
    private static final int ROUNDS = Integer.getInteger("clock.rounds", 500);
    private static final int BUSY_THREADS = Integer.getInteger("clock.busy", 3);
    private static final Duration OFFERS_BUDGET = Duration.ofMillis(800);
    private static final Duration DEADLINE = Duration.ofSeconds(1);
    private static final String NO_OFFERS = "[]";

    record Page(String shops, String parking, String offers) {}

    interface Mall {
        String get(String path) throws Exception;
    }

    record Engine(Supplier<ExecutorService> threads, Delay delay) {
        static Engine on(VirtualClock clock) {
            return new Engine(clock::newExecutor, clock);
        }
    }

    static Mall onClock(VirtualClock clock, Map<String, Duration> latency, Set<String> failing) {
        return path -> {
            clock.sleep(latency.getOrDefault(path, Duration.ofMillis(300)));
            if (failing.contains(path)) throw new IOException(path + " answered 503");
            return "{" + path + "}";
        };
    }

    static Mall capped(Mall mall, int atOnce) {
        var permits = new Semaphore(atOnce, true);
        return path -> {
            permits.acquire();
            try {
                return mall.get(path);
            } finally {
                permits.release();
            }
        };
    }

    static String offersWithin(Future<String> offers, Duration budget, Engine run) throws InterruptedException {
        try (var watch = run.threads().get()) {
            Future<?> watchdog = watch.submit(() -> {
                run.delay().sleep(budget);
                return offers.cancel(true);
            });
            try {
                return offers.get();
            } catch (CancellationException | ExecutionException lateOrFailed) {
                return NO_OFFERS;
            } finally {
                watchdog.cancel(true);
            }
        }
    }

    static Page loadPage(Mall mall, Engine run, Duration offersBudget, Duration deadline) throws Exception {
        try (var pool = run.threads().get()) {
            Future<String> shops = pool.submit(() -> mall.get("/shops"));
            Future<String> parking = pool.submit(() -> mall.get("/parking"));
            Future<String> offers = pool.submit(() -> mall.get("/offers"));
            Future<?> watchdog = pool.submit(() -> {
                run.delay().sleep(deadline);
                return shops.cancel(true) | parking.cancel(true) | offers.cancel(true);
            });
            try {
                String someOffers = offersWithin(offers, offersBudget, run);
                return new Page(shops.get(), parking.get(), someOffers);
            } catch (CancellationException late) {
                throw new TimeoutException("no page within " + deadline);
            } finally {
                watchdog.cancel(true);
            }
        }
    }

    /** One run of the lesson's test: the page, and the virtual time it took. */
    static String lateOffersOnce() {
        VirtualClock clock = new VirtualClock();
        Mall fake = capped(onClock(clock, Map.of("/offers", Duration.ofSeconds(5)), Set.of()), 2);
        Page page = clock.run(() -> loadPage(fake, Engine.on(clock), OFFERS_BUDGET, DEADLINE));
        return page + " at " + clock.elapsed();
    }

    @Test
    void lateOffersAreLeftOutAtTheirBudgetEveryTimeUnderLoad() throws InterruptedException {
        String expected = new Page("{/shops}", "{/parking}", NO_OFFERS) + " at PT0.8S";
        List<String> wrong = underLoad(ROUNDS, expected, VirtualClockUnderLoadTest::lateOffersOnce);
        assertEquals(List.of(), wrong.subList(0, Math.min(5, wrong.size())), wrong.size() + " of " + ROUNDS + " rounds wrong");
    }

    /**
     * The mechanism behind it: a watched thread that has just been let into a monitor still
     * reads BLOCKED for a moment (on JDK 24 and later, until the JDK's unblocker thread runs), and
     * while every other watched thread waits, time must not jump before it gets going. The clock
     * waits 200 ms of real time before it believes a BLOCKED thread; a longer stall can still
     * fool it, hence the tolerance of 2 rounds (before that wait, 7 to 10 rounds in 100 went wrong
     * on the course's loaded two-core machine).
     */
    static String monitorOnce() {
        VirtualClock clock = new VirtualClock();
        Object monitor = new Object();
        return clock.run(() -> {
            try (var pool = clock.newExecutor()) {
                pool.submit(() -> {
                    clock.sleep(Duration.ofSeconds(1));
                    return null;
                });
                var held = new CountDownLatch(1);
                Thread me = Thread.currentThread();
                pool.submit(() -> {
                    synchronized (monitor) {            // let go once `me` waits for it
                        held.countDown();
                        long giveUp = System.nanoTime() + 5_000_000_000L;
                        while (me.getState() != Thread.State.BLOCKED && System.nanoTime() < giveUp) {
                            Thread.onSpinWait();
                        }
                    }
                    clock.sleep(Duration.ofSeconds(2));
                    return null;
                });
                held.await(5, java.util.concurrent.TimeUnit.SECONDS);
                synchronized (monitor) {
                    return "in the monitor at " + clock.elapsed();
                }
            }
        });
    }

    @Test
    void aThreadLetIntoAMonitorIsNotJumpedPastUnderLoad() throws InterruptedException {
        int rounds = Integer.getInteger("clock.monitorRounds", 150);
        List<String> wrong = underLoad(rounds, "in the monitor at PT0S", VirtualClockUnderLoadTest::monitorOnce);
        assertTrue(wrong.size() <= 2, wrong.size() + " of " + rounds + " rounds wrong: " + wrong.subList(0, Math.min(5, wrong.size())));
    }

    @Test
    void aMonitorHeldAcrossASleepStillLetsTimeJump() {
        VirtualClock clock = new VirtualClock();
        Object monitor = new Object();
        long start = System.nanoTime();
        String got = clock.run(() -> {
            try (var pool = clock.newExecutor()) {
                var held = new CountDownLatch(1);
                pool.submit(() -> {
                    synchronized (monitor) {
                        held.countDown();
                        clock.sleep(Duration.ofSeconds(1));
                    }
                    return null;
                });
                held.await(5, java.util.concurrent.TimeUnit.SECONDS);
                synchronized (monitor) {
                    return "in the monitor at " + clock.elapsed();
                }
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals("in the monitor at PT1S", got);
        assertTrue(seconds < 5, "real time " + seconds);
        System.out.printf("virtual clock, a jump past a held monitor: real %.0f ms%n", seconds * 1e3);
    }

    /** Runs {@code once} {@code rounds} times while busy threads load the cores; returns the wrong answers. */
    static List<String> underLoad(int rounds, String expected, Supplier<String> once) throws InterruptedException {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < BUSY_THREADS; i++) {
            busy.add(Thread.ofPlatform().daemon().name("busy-" + i).start(() -> {
                long x = 0;
                while (!stop.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) System.out.print("");
            }));
        }
        List<String> wrong = new ArrayList<>();
        long start = System.nanoTime();
        try {
            for (int i = 0; i < rounds; i++) {
                String got = once.get();
                if (!got.equals(expected)) {
                    wrong.add("round " + i + ": " + got);
                }
            }
        } finally {
            stop.set(true);
            for (Thread t : busy) {
                t.join(Duration.ofSeconds(5));
            }
        }
        System.out.printf("virtual clock under load, %s: %d of %d rounds wrong, %.1f s real time%n",
                expected, wrong.size(), rounds, (System.nanoTime() - start) / 1e9);
        return wrong;
    }
}
