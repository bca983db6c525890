package asynclab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

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
 *     timer whenever every watched thread is waiting for the clock or for another thread.
 * </ul>
 *
 * {@snippet class=asynclab.VirtualClockTest region=example :
 * var clock = virtualClock();
 * var content = content(clock);
 * var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::of);
 * clock.runUntilIdle();                          // both timers fire at virtual second 1
 * assertEquals(ONE, clock.elapsed());            // PT1S
 * assertEquals(List.of(ONE, ONE), clock.requestedDelays());
 * assertEquals(List.of(POSTS, ALBUMS), both.join());
 * }
 *
 * <p>What is the same on every run, for code that is itself the same on every run: the virtual
 * time at which each wait ends (so {@link #elapsed()} and a timeline on this clock), and the order
 * in which timers due at the same instant fire. That order does not depend on which thread got a
 * core first: timers set by one thread fire in the order it set them; between threads, a thread
 * that {@link #run(Work)} or {@link #newExecutor()} started fires after the thread that started
 * it and before any thread started later by that same thread. Futures from {@link #after}
 * complete on the thread that moves the clock, in that order, so stages chained to them with
 * {@code thenApply} or {@code thenCombine} run there one after the other the same way every run.
 *
 * <p>Not the same on every run: the order in which threads woken at the same instant then run
 * (they are real threads, on as many cores as the machine has), so whatever they write to shared
 * state in that moment; the order of {@link #requestedDelays()} entries that several threads asked
 * for at once; and, between threads the clock does not watch, which first used the clock.
 *
 * <p>A <em>watched</em> thread is one that {@link #run(Work)} starts or that an executor from
 * {@link #newExecutor()} starts. Before time jumps, every watched thread must be waiting: in this
 * clock's {@code sleep}, or on another thread of this program (a lock, a latch, a queue, a
 * future, {@code Thread.join}, a structured task scope's {@code join}, {@code Object.wait}, a
 * monitor). A watched thread that waits on anything else, such as {@code Thread.sleep} on the
 * real clock or a socket, counts as busy: the clock waits for it rather than jump past it.
 *
 * <p>Waiting to enter a monitor ({@code synchronized}, or taking it back after
 * {@code Object.wait}) is the exception to "the same on every run". The JVM does not tell
 * whether the monitor is still held: a thread stays BLOCKED for a moment after the monitor is
 * released, and on JDK 24 and later a virtual thread stays BLOCKED until the JDK's unblocker
 * thread gets a core, which on a loaded two-core machine took up to about 0.2 s of real time.
 * So the clock believes a BLOCKED thread only after it has stayed BLOCKED for 200 ms of real
 * time with every other watched thread waiting; each jump past a held monitor costs that much,
 * and a longer stall can still let time jump before the thread runs. A smaller gap of the same
 * kind: a virtual thread reads TERMINATED a moment before it releases a {@code Thread.join} or
 * a structured task scope's {@code join} on it, and the clock waits 2 ms for that moment.
 * No such gap: this clock's own methods (a thread inside them counts as busy), and waits on
 * {@code java.util.concurrent} (a {@code ReentrantLock}, a semaphore, a latch, a queue, a
 * future's {@code get}, an executor's {@code close}), whose waiting virtual threads turn runnable
 * the moment they are released (unless pinned to their carrier, as inside a class initializer).
 * Use those, not {@code synchronized}, where threads of the code under test wait for each other.
 *
 * @apiNote The clock cannot see threads it does not watch, such as the common pool: a watched
 * thread waiting for one of them looks like it waits on the program, and time may jump before
 * that thread has answered. Give the code under test this clock and run its threads from
 * {@link #newExecutor()}.
 *
 * <p>So that a mistake ends in an exception rather than a hung cell, every wait for the clock is
 * bounded in <em>real</em> time by a guard, ten seconds unless the constructor says otherwise:
 * a {@code sleep} that nothing advances, a {@code run} that never finishes, a watched thread
 * that stays busy. The exception names the threads involved, and the clock stops watching them,
 * so one mistake costs one exception, not one in every later call.
 */
public final class VirtualClock implements Delay {
    /*
     * Overview, for maintainers: how the clock decides that time may jump.
     *
     * State. `timers` (a priority queue), `now` and `requested` are guarded by `lock`. `watched`
     * maps every live thread the clock started to its Setter. Time itself moves only in fireNext,
     * called by advanceBy, runUntilIdle and run, on the thread that calls them (the "mover").
     *
     * The idle protocol. Before each fireNext the mover waits until the program is quiet:
     *   1. no thread is inside the clock's code (`inFlight` == 0): setting a timer in sleep/after,
     *      taking `lock` in any method, making a watched thread in newWatchedThread; a thread
     *      waiting there to enter `lock` (or a bin of `watched`) is BLOCKED, which rule 2 alone
     *      would believe after a settle; the likely way lesson 14's watchdog started late (its
     *      parent, making the watchdog's thread, waited for `lock` while time jumped), and
     *   2. every watched thread but the mover is idle, as classify() sees it:
     *        NEW, RUNNABLE                       busy: it is about to do something
     *        BLOCKED (monitor enter)             idle: another thread of the program holds it;
     *                                            believed only after SETTLE_MONITOR_NANOS (below)
     *        WAITING/TIMED_WAITING with a park
     *          blocker (a j.u.c lock, latch,
     *          queue, CompletableFuture, join,
     *          executor close, this clock's sleep) idle: waits on another thread of the program
     *        WAITING in Object.wait or in a      idle, for the same reason (these two set no
     *          StructuredTaskScope's join          blocker: waitsWithoutBlocker knows them by frame)
     *        WAITING/TIMED_WAITING, no blocker   busy ("outside"): Thread.sleep on the real clock,
     *                                            socket or file I/O, a bare LockSupport.park
     *        TERMINATED                          dropped from `watched`
     *   3. and both still hold after a settle pause (SETTLE_NANOS) with no clock activity in
     *      between (`activity` counts timers set, fired and sleeps ended).
     * A BLOCKED thread is believed only after SETTLE_MONITOR_NANOS (200 ms) of real time in which
     * it stays BLOCKED, every other thread stays idle and nothing happens on the clock
     * (stillBlocked): getState() cannot tell a held monitor from one just released, and on JDK 24+
     * a virtual thread stays BLOCKED after the release until the JDK's "VirtualThread-unblocker"
     * platform thread runs (measured on this course's loaded 2-core machine with four spinning
     * threads: over 2 ms in 18-40 % of releases, up to 0.17-0.21 s). That is a bound, not a proof:
     * the Javadoc says so. j.u.c waits have no such gap: unpark turns a parked virtual thread
     * RUNNABLE inside the unparking thread's call.
     * The settle pause is longer (SETTLE_LONG_NANOS) on the round after a watched thread ended: a
     * virtual thread is TERMINATED a moment before it releases whoever joins it, so for that moment the
     * joiner still looks idle although it is about to run.
     * Why the blocker rule: a thread parked on a synchronizer can only be woken by another
     * thread, and if every watched thread is idle, only a timer can start that chain; a thread
     * parked with no blocker waits on the world outside (I/O, the real clock) and must not be
     * jumped past. The rule cannot tell which thread a synchronizer waits for: one that waits on
     * a thread the clock does not watch (the common pool) looks idle. That is the documented limit.
     * A woken virtual thread turns RUNNABLE inside unpark, that is inside fireNext on the mover,
     * so a sleeper woken by a timer never looks idle in the next round.
     *
     * Same order every run. A timer's key is (deadline, setter path, setter's count). A watched
     * thread's path is its parent's path plus its index among the parent's children (the factory
     * runs on the parent); an unwatched thread gets a one-element path when it first uses the
     * clock. Both parts depend only on what each thread does, not on which thread runs first.
     * Timers due together fire in key order on the mover; sleepers then wake in parallel.
     *
     * Giving up. Every wait is bounded by `guard` (real time). When run gives up on its work (the
     * guard, a deadlock, an interrupt of the caller) it interrupts the worker and the watched
     * threads it started (by path prefix) and stops watching them; when advanceBy/runUntilIdle
     * give up on busy threads they stop watching those. Code that ignores the interrupt then runs
     * on unwatched, and no later call on this clock waits for it.
     */

    /** How long, in real time, a wait for the clock may last by default: ten seconds. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private static final long SETTLE_NANOS = 200_000;
    private static final long SETTLE_LONG_NANOS = 2_000_000;
    private static final long SETTLE_MONITOR_NANOS = 200_000_000;
    private static final long POLL_NANOS = 50_000;

    /** Who sets timers: a path that depends only on which thread started which. */
    private static final class Setter {
        final long[] path;
        long timersSet;     // guarded by lock
        long children;      // guarded by lock

        Setter(long[] path) {
            this.path = path;
        }
    }

    private record Timer(long deadline, long[] path, long n, Runnable fire) {}

    private static final Comparator<Timer> ORDER = Comparator.comparingLong(Timer::deadline)
            .thenComparing(Timer::path, Arrays::compare)
            .thenComparingLong(Timer::n);

    private enum Activity { BUSY, IDLE, MONITOR, GONE }

    private final Object lock = new Object();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(ORDER);
    private final List<Duration> requested = new ArrayList<>();
    private final Map<Thread, Setter> watched = new ConcurrentHashMap<>();
    private final AtomicLong roots = new AtomicLong();
    private final ThreadLocal<Setter> unwatched = ThreadLocal.withInitial(() -> new Setter(new long[] {roots.getAndIncrement()}));
    private final AtomicLong activity = new AtomicLong();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong threadCount = new AtomicLong();
    private final ThreadFactory factory = this::newWatchedThread;
    private final Duration guard;
    private volatile boolean settleLonger;
    private long now;

    /** A clock at virtual time zero with the {@linkplain #DEFAULT_TIMEOUT default guard}. */
    VirtualClock() {
        this(DEFAULT_TIMEOUT);
    }

    /**
     * A clock at virtual time zero whose waits give up after {@code timeout} of real time.
     *
     * @throws IllegalArgumentException if the guard is not positive
     */
    VirtualClock(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the guard must be positive: " + timeout);
        }
        this.guard = timeout;
    }

    /** Virtual nanoseconds since this clock was made, to use where {@link System#nanoTime()} would be. */
    public long nanoTime() {
        return locked(() -> now);
    }

    /** Virtual time since this clock was made. */
    public Duration elapsed() {
        return Duration.ofNanos(nanoTime());
    }

    /**
     * Every delay asked for through {@link #sleep} and {@link #after}, in the order asked; for
     * delays several threads asked for at the same moment, that order is the scheduler's.
     */
    public List<Duration> requestedDelays() {
        return locked(() -> List.copyOf(requested));
    }

    /** How many timers are set and not yet fired. */
    public int pendingTimers() {
        return locked(timers::size);
    }

    /**
     * Returns a future that completes when virtual time reaches now + {@code d}; a zero delay
     * gives a future that is already complete. It completes on the thread that moves the clock.
     */
    @Override
    public CompletableFuture<Void> after(Duration d) {
        RealDelay.checked(d);
        CompletableFuture<Void> done = new CompletableFuture<>();
        schedule(d, () -> done.complete(null));
        return done;
    }

    /**
     * Blocks the calling thread until virtual time reaches now + {@code d}.
     *
     * @throws InterruptedException if the thread is interrupted while it waits (the timer is withdrawn)
     * @throws IllegalStateException if nothing moves the clock for the guard's length of real time
     */
    @Override
    public void sleep(Duration d) throws InterruptedException {
        RealDelay.checked(d);
        CountDownLatch woken = new CountDownLatch(1);
        Timer timer = schedule(d, woken::countDown);
        try {
            if (!woken.await(guard.toNanos(), TimeUnit.NANOSECONDS) && withdraw(timer)) {
                throw new IllegalStateException("a sleep of " + d + " on a VirtualClock waited " + Seconds.format(guard)
                        + " of real time and nothing moved the clock: run the code inside clock.run(...), or call"
                        + " clock.advanceBy(...) or clock.runUntilIdle() from another thread");
            }
        } catch (InterruptedException e) {
            withdraw(timer);
            throw e;
        } finally {
            activity.incrementAndGet();
        }
    }

    /**
     * Moves virtual time forward by {@code d}, firing every timer due on the way in time order.
     *
     * @throws IllegalStateException if a watched thread stays busy for the guard's length of real
     *     time; the clock then stops watching it
     */
    public void advanceBy(Duration d) {
        long target;
        synchronized (lock) {
            target = Math.addExact(now, RealDelay.checked(d).toNanos());
        }
        long deadline = System.nanoTime() + guard.toNanos();
        do {
            awaitQuiet(deadline);
        } while (fireNext(target));
        synchronized (lock) {
            now = Math.max(now, target);
        }
    }

    /**
     * Fires timers, earliest first, until none is left, including timers set by the code that
     * the earlier ones woke; virtual time ends at the last one.
     *
     * @throws IllegalStateException if timers keep coming, or a watched thread stays busy, for
     *     the guard's length of real time; the clock then stops watching the busy threads
     */
    public void runUntilIdle() {
        long deadline = System.nanoTime() + guard.toNanos();
        while (true) {
            awaitQuiet(deadline);
            if (!fireNext(Long.MAX_VALUE)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("runUntilIdle: timers were still being set after " + Seconds.format(guard)
                        + " of real time (virtual time " + elapsed() + "): is something repeating forever?");
            }
        }
    }

    /**
     * Runs blocking code on a watched virtual thread and returns its value, moving virtual time
     * to the next timer whenever every watched thread is waiting.
     *
     * {@snippet class=asynclab.ExamplesTest region=run :
     * List<Post> posts = clock.run(() -> content.getPosts());   // returns at once; elapsed() is PT1S
     * }
     *
     * <p>Threads the work starts from {@link #newExecutor()} are watched too. Unchecked exceptions
     * from the work come out as they are; checked ones wrapped in {@link CompletionException}.
     *
     * @throws IllegalStateException if the work is still running after the guard's length of real
     *     time, or if every watched thread waits while no timer is set for a second of real time,
     *     or half the guard if that is less (a deadlock, or a wait on a thread this clock does not
     *     watch). The work and the threads it started are then interrupted and no longer watched.
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
                if (Thread.currentThread().isInterrupted()) {
                    abandon(worker);
                    throw new CompletionException(new InterruptedException("interrupted while running on a VirtualClock"));
                }
                if (System.nanoTime() - start > guard.toNanos()) {
                    String busy = describe(busyThreads());
                    abandon(worker);
                    throw new IllegalStateException("clock.run: the work was still running after " + Seconds.format(guard)
                            + " of real time, at virtual time " + elapsed() + busy
                            + "; it has been interrupted and is no longer watched");
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
                        abandon(worker);
                        throw new IllegalStateException("clock.run: every watched thread has been waiting for "
                                + Seconds.format(Duration.ofNanos(deadlockNanos())) + " of real time and no timer is set"
                                + " (virtual time " + elapsed() + "): a deadlock, or a wait on a thread this clock"
                                + " does not watch; the work has been interrupted and is no longer watched");
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

    private Thread newWatchedThread(Runnable r) {
        inFlight.incrementAndGet();      // it may wait for `lock` or a bin of `watched`: not idle
        try {
            Setter parent = setter();
            long[] path;
            synchronized (lock) {
                path = Arrays.copyOf(parent.path, parent.path.length + 1);
                path[parent.path.length] = parent.children++;
            }
            Thread t = Thread.ofVirtual().name("virtual-clock-" + threadCount.incrementAndGet()).unstarted(r);
            watched.put(t, new Setter(path));
            return t;
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /**
     * Reads or changes the clock's state under `lock`, counted in `inFlight`: a thread waiting to
     * enter `lock` reads BLOCKED, which alone would count as idle (see the overview).
     */
    private <T> T locked(Supplier<T> body) {
        inFlight.incrementAndGet();
        try {
            synchronized (lock) {
                return body.get();
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private Setter setter() {
        Setter s = watched.get(Thread.currentThread());
        return s != null ? s : unwatched.get();
    }

    private Timer schedule(Duration d, Runnable fire) {
        Setter who = setter();
        Timer timer;
        inFlight.incrementAndGet();
        try {
            synchronized (lock) {
                requested.add(d);
                timer = new Timer(Math.addExact(now, d.toNanos()), who.path, who.timersSet++, fire);
                if (!d.isZero()) {
                    timers.add(timer);
                }
            }
            activity.incrementAndGet();
        } finally {
            inFlight.decrementAndGet();
        }
        if (d.isZero()) {
            fire.run();
        }
        return timer;
    }

    /** Takes a timer back; false if it has fired already. */
    private boolean withdraw(Timer timer) {
        return locked(() -> timers.remove(timer));
    }

    /** Fires every timer due at the earliest deadline, in key order, if that is no later than {@code limit}. */
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
            timer.fire.run();
        }
        return true;
    }

    /** Waits until the program is quiet; past the deadline, stops watching the busy threads and throws. */
    private void awaitQuiet(long deadline) {
        while (!quiet()) {
            if (System.nanoTime() > deadline) {
                List<Thread> busy = busyThreads();
                busy.forEach(watched::remove);
                throw new IllegalStateException("a thread this VirtualClock watches has been busy for " + Seconds.format(guard)
                        + " of real time (virtual time " + elapsed() + ")" + describe(busy)
                        + ": is it waiting on the real clock or on I/O, or spinning? The clock no longer watches it");
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new CompletionException(new InterruptedException("interrupted while waiting for watched threads"));
            }
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** The idle protocol of the overview: steps 1 to 3. */
    private boolean quiet() {
        if (inFlight.get() > 0) {
            return false;
        }
        Activity first = scan();
        if (first == Activity.BUSY) {
            return false;
        }
        if (first == Activity.GONE) {
            settleLonger = true;
            return false;
        }
        if (watched.isEmpty()) {
            return true;
        }
        long before = activity.get();
        if (first == Activity.MONITOR) {
            return stillBlocked(before);
        }
        boolean longer = settleLonger;
        settleLonger = false;
        LockSupport.parkNanos(longer ? SETTLE_LONG_NANOS : SETTLE_NANOS);
        Activity second = scan();
        if (second == Activity.MONITOR) {
            return stillBlocked(before);
        }
        return inFlight.get() == 0 && activity.get() == before && second == Activity.IDLE;
    }

    /**
     * Step 3 when a watched thread is BLOCKED: true if, for SETTLE_MONITOR_NANOS of real time,
     * some thread stays BLOCKED, every other one idle, and nothing happens on the clock.
     */
    private boolean stillBlocked(long before) {
        settleLonger = false;
        long end = System.nanoTime() + SETTLE_MONITOR_NANOS;
        while (System.nanoTime() < end) {
            LockSupport.parkNanos(SETTLE_LONG_NANOS);
            if (inFlight.get() > 0 || activity.get() != before) {
                return false;
            }
            Activity seen = scan();
            if (seen != Activity.MONITOR) {
                settleLonger = seen == Activity.GONE;
                return false;
            }
        }
        return true;
    }

    /** BUSY if any watched thread is busy, else GONE if one ended, else MONITOR if one is BLOCKED, else IDLE. */
    private Activity scan() {
        Thread me = Thread.currentThread();
        Activity result = Activity.IDLE;
        for (Thread t : watched.keySet()) {
            if (t == me) {
                continue;
            }
            switch (classify(t)) {
                case BUSY -> {
                    return Activity.BUSY;
                }
                case GONE -> {
                    watched.remove(t);
                    result = Activity.GONE;
                }
                case MONITOR -> result = result == Activity.GONE ? result : Activity.MONITOR;
                case IDLE -> { }
            }
        }
        return result;
    }

    private static Activity classify(Thread t) {
        return switch (t.getState()) {
            case NEW, RUNNABLE -> Activity.BUSY;
            case TERMINATED -> Activity.GONE;
            case BLOCKED -> Activity.MONITOR;
            case WAITING, TIMED_WAITING -> LockSupport.getBlocker(t) != null || waitsWithoutBlocker(t) ? Activity.IDLE : Activity.BUSY;
        };
    }

    /** True for the waits on another thread that park with no blocker: Object.wait, a structured task scope's join. */
    private static boolean waitsWithoutBlocker(Thread t) {
        StackTraceElement[] stack = t.getStackTrace();
        for (int i = 0; i < Math.min(6, stack.length); i++) {
            String c = stack[i].getClassName();
            if (c.equals("java.lang.Object") && stack[i].getMethodName().startsWith("wait")
                    || c.equals("jdk.internal.misc.ThreadFlock")) {
                return true;
            }
        }
        return false;
    }

    private List<Thread> busyThreads() {
        Thread me = Thread.currentThread();
        return watched.keySet().stream().filter(t -> t != me && classify(t) == Activity.BUSY).toList();
    }

    private static String describe(List<Thread> busy) {
        if (busy.isEmpty()) {
            return "";
        }
        List<String> names = busy.stream().limit(5).map(t -> t.getName() + " " + t.getState()
                + (t.getState() == Thread.State.RUNNABLE ? "" : " outside the clock")).toList();
        return " (busy: " + String.join(", ", names) + (busy.size() > 5 ? ", …" : "") + ")";
    }

    /** Interrupts the worker and the watched threads it started, and stops watching them. */
    private void abandon(Thread worker) {
        Setter root = watched.get(worker);
        worker.interrupt();
        watched.remove(worker);
        if (root == null) {
            return;
        }
        for (Map.Entry<Thread, Setter> e : watched.entrySet()) {
            long[] p = e.getValue().path;
            if (p.length > root.path.length && Arrays.equals(p, 0, root.path.length, root.path, 0, root.path.length)) {
                e.getKey().interrupt();
                watched.remove(e.getKey());
            }
        }
    }

    /** How long every watched thread may wait with no timer set before run gives up: a second at most. */
    private long deadlockNanos() {
        return Math.min(guard.toNanos() / 2, 1_000_000_000L);
    }
}
