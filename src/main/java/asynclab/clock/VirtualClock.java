package asynclab.clock;

import asynclab.Block;
import asynclab.Work;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A clock whose time passes only when a test says so: a {@link Delay} that makes a one-second
 * fetch take a few microseconds while every timestamp still reads one second.
 *
 * <p>Code under test waits through the clock ({@link #sleep} or {@link #after}); each wait sets
 * a timer at "now + delay" and is remembered in {@link #requestedDelays()}. Time then moves in
 * one of three ways, after the virtual-time schedulers of Reactor ({@code VirtualTimeScheduler})
 * and kotlinx-coroutines-test ({@code TestCoroutineScheduler}):
 * <ul>
 * <li>{@link #advanceBy(Duration)} moves time forward and fires every timer due on the way, in
 *     time order;
 * <li>{@link #runUntilIdle()} fires timers, earliest first, until none is left;
 * <li>{@link #run(Work)} runs blocking code on a thread the clock watches, and jumps to the next
 *     timer whenever every watched thread is waiting.
 * </ul>
 *
 * {@snippet :
 * VirtualClock clock = new VirtualClock();
 * Content content = new Content(clock);
 * var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::of);
 * clock.runUntilIdle();          // both timers fire at virtual second 1
 * clock.elapsed();               // PT1S
 * clock.requestedDelays();       // [PT1S, PT1S]
 * }
 *
 * <p>Timers due at the same instant fire together, in the order they were set. A future from
 * {@link #after} completes on the thread that moves the clock, so stages chained to it with
 * {@code thenApply} or {@code thenCombine} run there, one after the other, the same way on every
 * run. A thread blocked in {@link #sleep} wakes on its own thread; before firing the next timer
 * the clock waits until every thread it watches is waiting again.
 *
 * <p>A <em>watched</em> thread is one that {@link #run(Work)} starts or that an executor from
 * {@link #newExecutor()} starts. A watched thread counts as waiting when its state is
 * {@code WAITING}, {@code TIMED_WAITING} or {@code BLOCKED}.
 *
 * @apiNote Nothing here stops a wait on the <em>real</em> clock ({@code Thread.sleep}, a timed
 * {@code get}) or work on threads the clock does not watch, such as the common pool. Such code
 * looks idle to the clock, which then moves on without it: give the code under test this clock
 * and run its threads from {@link #newExecutor()}.
 *
 * <p>So that a mistake ends in an exception rather than a hung cell, every wait for the clock is
 * bounded in <em>real</em> time by a guard, ten seconds unless the constructor says otherwise:
 * a {@code sleep} that nothing advances, a {@code run} that never finishes, a watched thread
 * that never goes idle.
 */
public final class VirtualClock implements Delay {
    /** How long, in real time, a wait for the clock may last by default: ten seconds. */
    public static final Duration DEFAULT_GUARD = Duration.ofSeconds(10);

    private static final long SETTLE_NANOS = 200_000;          // how long "every thread waits" must hold
    private static final long SETTLE_BLOCKED_NANOS = 2_000_000; // ...when a thread waits for a monitor
    private static final long POLL_NANOS = 50_000;

    private record Timer(long deadline, long seq, CompletableFuture<Void> done) {}

    private final Object lock = new Object();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(
            (a, b) -> a.deadline != b.deadline ? Long.compare(a.deadline, b.deadline) : Long.compare(a.seq, b.seq));
    private final List<Duration> requested = new ArrayList<>();
    private final Set<Thread> watched = ConcurrentHashMap.newKeySet();
    private final AtomicLong activity = new AtomicLong();
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final AtomicLong threadCount = new AtomicLong();
    private final ThreadFactory factory;
    private final Duration guard;
    private long now;
    private long seq;

    /** A clock at virtual time zero with the {@linkplain #DEFAULT_GUARD default guard}. */
    public VirtualClock() {
        this(DEFAULT_GUARD);
    }

    /**
     * A clock at virtual time zero whose waits give up after {@code realTimeGuard} of real time.
     *
     * @throws IllegalArgumentException if the guard is not positive
     */
    public VirtualClock(Duration realTimeGuard) {
        Objects.requireNonNull(realTimeGuard, "realTimeGuard");
        if (realTimeGuard.isNegative() || realTimeGuard.isZero()) {
            throw new IllegalArgumentException("the guard must be positive: " + realTimeGuard);
        }
        this.guard = realTimeGuard;
        this.factory = r -> {
            Thread t = Thread.ofVirtual().name("virtual-clock-" + threadCount.incrementAndGet()).unstarted(r);
            watched.add(t);
            return t;
        };
    }

    /** Virtual nanoseconds since this clock was made, to use where {@link System#nanoTime()} would be. */
    public long nanoTime() {
        synchronized (lock) {
            return now;
        }
    }

    /** Virtual time since this clock was made. */
    public Duration elapsed() {
        return Duration.ofNanos(nanoTime());
    }

    /** Every delay asked for through {@link #sleep} and {@link #after}, in the order asked. */
    public List<Duration> requestedDelays() {
        synchronized (lock) {
            return List.copyOf(requested);
        }
    }

    /** How many timers are set and not yet fired. */
    public int pendingTimers() {
        synchronized (lock) {
            return timers.size();
        }
    }

    /**
     * Returns a future that completes when virtual time reaches now + {@code d}; a zero delay
     * gives a future that is already complete.
     */
    @Override
    public CompletableFuture<Void> after(Duration d) {
        RealDelay.checked(d);
        inFlight.incrementAndGet();
        try {
            return schedule(d).done;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Blocks the calling thread until virtual time reaches now + {@code d}.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws IllegalStateException if nothing moves the clock for the guard's length of real time
     */
    @Override
    public void sleep(Duration d) throws InterruptedException {
        RealDelay.checked(d);
        Timer timer;
        inFlight.incrementAndGet();
        try {
            timer = schedule(d);
        } finally {
            inFlight.decrementAndGet();
        }
        try {
            timer.done.get(guard.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            cancel(timer);
            throw e;
        } catch (TimeoutException e) {
            cancel(timer);
            throw new IllegalStateException("a sleep of " + d + " on a VirtualClock waited " + seconds(guard)
                    + " of real time and nothing moved the clock: run the code inside clock.run(...), or call"
                    + " clock.advanceBy(...) or clock.runUntilIdle() from another thread");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            activity.incrementAndGet();
        }
    }

    /**
     * Moves virtual time forward by {@code d}, firing every timer due on the way in time order.
     *
     * @throws IllegalStateException if a watched thread stays busy for the guard's length of real time
     */
    public void advanceBy(Duration d) {
        long target;
        synchronized (lock) {
            target = Math.addExact(now, RealDelay.checked(d).toNanos());
        }
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            awaitQuiet(deadline);
            if (!fireNext(target)) {
                break;
            }
        }
        synchronized (lock) {
            now = Math.max(now, target);
        }
    }

    /**
     * Fires timers, earliest first, until none is left, including timers set by the code that
     * the earlier ones woke; virtual time ends at the last one.
     *
     * @throws IllegalStateException if timers keep coming, or a watched thread stays busy, for
     *     the guard's length of real time
     */
    public void runUntilIdle() {
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            awaitQuiet(deadline);
            if (!fireNext(Long.MAX_VALUE)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runUntilIdle: timers were still being set after " + seconds(guard)
                        + " of real time (virtual time " + elapsed() + "): is something repeating forever?");
            }
        }
    }

    /**
     * Runs blocking code on a watched virtual thread and returns its value, moving virtual time
     * to the next timer whenever every watched thread is waiting.
     *
     * {@snippet :
     * List<Post> posts = clock.run(() -> content.getPosts());   // returns at once; elapsed() is PT1S
     * }
     *
     * <p>Threads the work starts from {@link #newExecutor()} are watched too. Unchecked exceptions
     * from the work come out as they are; checked ones wrapped in {@link CompletionException}.
     *
     * @throws IllegalStateException if the work is still running after the guard's length of real
     *     time (it is then interrupted), or if every watched thread waits while no timer is set
     *     for a second of real time, or half the guard if that is less (a deadlock, or a wait on
     *     something the clock cannot see; the work is then interrupted)
     */
    public <T> T run(Work<T> work) {
        Objects.requireNonNull(work, "work");
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread worker = factory.newThread(() -> {
            try {
                result.complete(work.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        worker.start();
        long start = System.nanoTime();
        long idleSince = -1;
        try {
            while (!result.isDone()) {
                if (Thread.interrupted()) {
                    worker.interrupt();
                    Thread.currentThread().interrupt();
                    throw new CompletionException(new InterruptedException("interrupted while running on a VirtualClock"));
                }
                if (System.nanoTime() - start > guard.toNanos()) {
                    worker.interrupt();
                    throw new IllegalStateException("clock.run: the work was still running after " + seconds(guard)
                            + " of real time, at virtual time " + elapsed() + "; it has been interrupted");
                }
                if (!quiet()) {
                    idleSince = -1;
                    LockSupport.parkNanos(POLL_NANOS);
                } else if (fireNext(Long.MAX_VALUE)) {
                    idleSince = -1;
                } else if (!result.isDone()) {
                    long t = System.nanoTime();
                    if (idleSince < 0) {
                        idleSince = t;
                    } else if (t - idleSince > deadlockNanos()) {
                        worker.interrupt();
                        throw new IllegalStateException("clock.run: every watched thread has been waiting for "
                                + seconds(Duration.ofNanos(deadlockNanos())) + " of real time and no timer is set (virtual time " + elapsed()
                                + "): a deadlock, or a wait on something this clock cannot see; the work has been interrupted");
                    }
                    LockSupport.parkNanos(POLL_NANOS * 20);
                }
            }
        } finally {
            try {
                worker.join(Duration.ofMillis(100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Runs blocking code that returns nothing; see {@link #run(Work)}. */
    public void run(Block work) {
        Objects.requireNonNull(work, "work");
        run(() -> {
            work.run();
            return null;
        });
    }

    /**
     * An executor that runs each task on a new virtual thread which this clock watches, for code
     * that {@link #run(Work)} or {@link #advanceBy} should wait for. Close it, as any executor.
     */
    public ExecutorService newExecutor() {
        return Executors.newThreadPerTaskExecutor(factory);
    }

    @Override
    public String toString() {
        return "VirtualClock(" + elapsed() + ", " + pendingTimers() + " timers)";
    }

    // ---------------------------------------------------------------------------------------------

    private Timer schedule(Duration d) {
        Timer timer;
        synchronized (lock) {
            requested.add(d);
            timer = new Timer(Math.addExact(now, d.toNanos()), seq++, new CompletableFuture<>());
            if (!d.isZero()) {
                timers.add(timer);
            }
        }
        activity.incrementAndGet();
        if (d.isZero()) {
            timer.done.complete(null);
        }
        return timer;
    }

    private void cancel(Timer timer) {
        synchronized (lock) {
            timers.remove(timer);
        }
    }

    /** Fires every timer due at the earliest deadline, if that is no later than {@code limit}. */
    private boolean fireNext(long limit) {
        List<Timer> due = new ArrayList<>();
        synchronized (lock) {
            Timer first = timers.peek();
            if (first == null || first.deadline > limit) {
                return false;
            }
            while (!timers.isEmpty() && timers.peek().deadline == first.deadline) {
                due.add(timers.poll());
            }
            now = Math.max(now, first.deadline);
        }
        activity.incrementAndGet();
        for (Timer timer : due) {
            timer.done.complete(null);
        }
        return true;
    }

    /** Waits until every watched thread but the caller is waiting, or fails after the deadline. */
    private void awaitQuiet(long deadline) {
        while (!quiet()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a thread this VirtualClock watches has been busy for " + seconds(guard)
                        + " of real time (virtual time " + elapsed() + "): is it waiting on the real clock or spinning?");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CompletionException(new InterruptedException("interrupted while waiting for watched threads"));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /**
     * True if no thread is inside {@code sleep} or {@code after}, and every watched thread but the
     * caller waits, and went on waiting for a moment. A thread waiting for a monitor
     * ({@code BLOCKED}) usually gets it soon, so then the moment is longer.
     */
    private boolean quiet() {
        if (inFlight.get() > 0) {
            return false;
        }
        Idle first = scan();
        if (first == Idle.NO) {
            return false;
        }
        if (watched.isEmpty()) {
            return true;
        }
        long before = activity.get();
        LockSupport.parkNanos(first == Idle.BLOCKED ? SETTLE_BLOCKED_NANOS : SETTLE_NANOS);
        return inFlight.get() == 0 && activity.get() == before && scan() != Idle.NO;
    }

    private enum Idle { NO, YES, BLOCKED }

    private Idle scan() {
        Thread me = Thread.currentThread();
        Idle result = Idle.YES;
        for (Thread t : watched) {
            if (t == me) {
                continue;
            }
            switch (t.getState()) {
                case TERMINATED -> watched.remove(t);
                case WAITING, TIMED_WAITING -> { }
                case BLOCKED -> result = Idle.BLOCKED;
                default -> {
                    return Idle.NO;
                }
            }
        }
        return result;
    }

    /** How long every watched thread may wait with no timer set before run gives up: a second at most. */
    private long deadlockNanos() {
        return Math.min(guard.toNanos() / 2, 1_000_000_000L);
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toNanos() / 1e9);
    }
}
