package asynclab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Supplier;

/**
 * Recording fakes for an exercise answer: errands that truly block their thread for a while,
 * and a record of what happened to each (when it started and ended, on which kind of thread,
 * whether it was interrupted).
 * {@snippet class=asynclab.ExamplesTest region=errands :
 * var errands = errands(Duration.ofMillis(100));
 * Supplier<String> posts = errands.supplier("posts");   // get() blocks 0.1 s, returns "posts"
 * Callable<String> albums = errands.callable("albums"); // call() the same
 * check("both at once").runsAtOnce(errands, () -> loadBoth(posts::get, albums));
 * errands.mostAtOnce();                                 // 2: they ran at once
 * }
 *
 * <p>Use them where a check must judge <em>what</em> an answer did, not only how long it took:
 * the {@link Check} verbs {@code runsAtOnce}, {@code runsOneAtATime}, {@code capsAt} and
 * {@code cancels} read these records.
 *
 * <p>The surprise: an errand waits with {@link Thread#sleep}, which blocks a platform thread
 * and is interruptible, so an answer that runs blocking work on the common pool
 * ({@code supplyAsync} without an executor) queues its errands there, one after the other on a
 * two-core machine, instead of passing by accident; and every errand records whether it ran on a
 * common-pool worker, independent of timing. An interrupted errand ends at once: a
 * {@code fetch} throws {@link FetchInterruptedException} with the interrupt flag
 * set again (an interrupt, not a cancelled future), a
 * {@code callable} throws {@link InterruptedException}. {@link #delay()} makes them the waits of
 * a {@code content(...)}, so a check can count what an answer's fetches did. Each check starts a new round,
 * so its records hold only what its own answer did (errands left running by an earlier answer
 * record into that answer's round); errands made before a check count as handed out to it.
 */
public final class Errands {
    private final Duration each;
    private volatile Round round = new Round(true);
    private final Set<String> pending = ConcurrentHashMap.newKeySet();

    private Errands(Duration each) {
        this.each = each;
    }

    /** Errands that each block the calling thread for {@code each} (interruptibly). */
    static Errands blocking(Duration each) {
        Objects.requireNonNull(each, "each");
        if (each.isNegative()) {
            throw new IllegalArgumentException("an errand cannot take negative time: " + each);
        }
        return new Errands(each);
    }

    /** How long each errand blocks. */
    public Duration each() {
        return each;
    }

    /** An errand as a {@code Supplier}: {@code get()} blocks for {@link #each()} and returns {@code name}. */
    public Supplier<String> supplier(String name) {
        handOut(name);
        return () -> {
            try {
                return run(name);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FetchInterruptedException(name, e);
            }
        };
    }

    /** An errand as a {@code Callable}: {@code call()} blocks for {@link #each()} and returns {@code name}. */
    public Callable<String> callable(String name) {
        handOut(name);
        return () -> run(name);
    }

    /**
     * These errands as a {@link Delay}: every {@code sleep} is an errand named "wait", and every
     * {@code after} one too, blocking a virtual thread of the errands' own. Hand it to
     * {@code content(...)} and count what an answer's fetches did: {@link #started()} (fetches
     * asked for), {@link #mostAtOnce()}, {@link #running()}, {@link #interrupted()},
     * {@link #onCommonPool()}.
     * {@snippet class=asynclab.ErrandsDelayTest region=delay :
     * var waits = errands(Duration.ofMillis(100));
     * var content = content(waits.delay());    // each fetch: an errand of 0.1 s
     * }
     *
     * <p>Use it where a check must see inside a {@code Content} an answer was given: how many of its
     * fetches waited at once, were cut short, or are still waiting when the answer returns.
     *
     * <p>The surprise: each wait lasts {@link #each()}, whatever the caller asked for, so
     * {@code content(errands(Duration.ofMillis(150)).delay())} fetches in 0.15 s, not one second.
     */
    public Delay delay() {
        return new AsDelay(0);
    }

    /**
     * Like {@link #delay()}, but the waits end in the opposite order to the one they began in: of
     * {@code n} waits, the first lasts {@code n} times {@link #each()}, the last once (and any wait
     * after the {@code n}-th once). Use it where finishing in some order must not be luck.
     */
    public Delay reversedDelay(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("reversedDelay needs at least one wait: " + n);
        }
        return new AsDelay(n);
    }

    private static final Executor WAITERS = r -> Thread.ofVirtual().name("errand wait").start(r);

    /** The waits of {@link #delay()} ({@code n == 0}) or {@link #reversedDelay(int)}. */
    private final class AsDelay implements Delay {
        private final int n;
        private final AtomicInteger begun = new AtomicInteger();

        AsDelay(int n) {
            this.n = n;
        }

        private Duration next() {
            return n == 0 ? each : each.multipliedBy(Math.max(1, n - begun.getAndIncrement()));
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            RealDelay.checked(d);
            run("wait", next());
        }

        @Override
        public CompletableFuture<Void> after(Duration d) {
            RealDelay.checked(d);
            Duration wait = next();
            return CompletableFuture.runAsync(() -> {
                try {
                    run("wait", wait);
                } catch (InterruptedException e) {
                    throw new CompletionException(e);
                }
            }, WAITERS);
        }

        @Override
        public String toString() {
            return (n == 0 ? "delay()" : "reversedDelay(" + n + ")") + " of " + Errands.this;
        }
    }

    private void handOut(String name) {
        Objects.requireNonNull(name, "name");
        Round r = round;
        (r.closed ? pending : r.handedOut).add(name);
    }

    private String run(String name) throws InterruptedException {
        return run(name, each);
    }

    private String run(String name, Duration wait) throws InterruptedException {
        Round r = round;
        Record rec = new Record(name, Thread.currentThread(), currentOnCommonPool());
        r.records.add(rec);
        try {
            Thread.sleep(wait);
            return name;
        } catch (InterruptedException e) {
            rec.interrupted = true;
            throw e;
        } finally {
            rec.end = System.nanoTime();
            rec.ended = true;
        }
    }

    /**
     * What happened to one errand. Times are from the start of the round (the check's start).
     *
     * @param name        the name the errand was made with
     * @param start       when it started
     * @param end         when it ended, empty while it is still running
     * @param thread      the name of the thread it ran on
     * @param virtual     whether that thread is virtual
     * @param commonPool  whether it ran on the common pool ({@code supplyAsync} without an executor)
     * @param interrupted whether it was interrupted (cancelled) before its time was up; for a
     *                    running errand, whether an interrupt is pending on its thread
     */
    record Errand(String name, Duration start, Optional<Duration> end, String thread, boolean virtual,
            boolean commonPool, boolean interrupted) {
        /** Whether it had not ended when the record was taken. */
        public boolean running() {
            return end.isEmpty();
        }
    }

    /** Every errand started in this round, in order of start. */
    List<Errand> spans() {
        return round.spans();
    }

    /** How many errands ran at the same moment, at most. */
    public int mostAtOnce() {
        return mostAtOnce(spans());
    }

    /** How many errands of this round have started and not ended yet. */
    public int running() {
        return stillRunning().size();
    }

    /** How many errands of this round were interrupted before their time was up. */
    public int interrupted() {
        return (int) spans().stream().filter(Errand::interrupted).count();
    }

    /** How many errands of this round ran on a common-pool worker ({@code supplyAsync} without an executor). */
    public int onCommonPool() {
        return (int) spans().stream().filter(Errand::commonPool).count();
    }

    /** The errands that have started and not ended yet. */
    List<Errand> stillRunning() {
        return spans().stream().filter(Errand::running).toList();
    }

    /** How many errands have started in this round. */
    public int started() {
        return round.records.size();
    }

    /**
     * The names of the errands handed out ({@code fetch}/{@code callable}) for the check running
     * now: those made since the last check ended and those made by the answer.
     */
    List<String> handedOut() {
        Set<String> names = round.handedOut;
        synchronized (names) {
            return List.copyOf(names);
        }
    }

    /**
     * The spans of the {@code from}-th to the {@code to}-th errand started in this round (in order of
     * start; {@code to} capped at the number started). Errands are recorded in the order they start
     * and never removed, so {@code spans(0, n)} with {@code n = started()} holds exactly the errands
     * started by then, and {@code spans(n, Integer.MAX_VALUE)} those started since: a check tells
     * which errands an answer left behind by count, not by comparing times taken a moment apart.
     */
    List<Errand> spans(int from, int to) {
        return round.spans(from, to);
    }

    /** Forgets everything: the records and the names handed out. Errands still running record nowhere. */
    public void reset() {
        pending.clear();
        round = new Round(true);
    }

    /** A check starts: a new round, holding the names handed out since the last check. */
    void begin() {
        Round next = new Round(false);
        next.handedOut.addAll(pending);
        pending.removeAll(next.handedOut);
        round = next;
    }

    /** The check has its verdict: names handed out from now on belong to the next check. */
    void finish() {
        round.closed = true;
    }

    /** Interrupts the threads of this round's errands that are still running; true if all ended within the wait. */
    boolean stopStragglers(Duration wait) {
        Round r = round;
        for (Record rec : r.records) {
            if (!rec.ended) {
                rec.thread.interrupt();
            }
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (r.records.stream().anyMatch(rec -> !rec.ended)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    static int mostAtOnce(List<Errand> spans) {
        record Edge(long at, int delta) {}
        List<Edge> edges = new ArrayList<>();
        for (Errand s : spans) {
            edges.add(new Edge(s.start().toNanos(), 1));
            edges.add(new Edge(s.end().map(Duration::toNanos).orElse(Long.MAX_VALUE), -1));
        }
        // an end at the same instant as a start comes first: touching is not overlapping
        edges.sort(Comparator.comparingLong(Edge::at).thenComparingInt(Edge::delta));
        int now = 0;
        int most = 0;
        for (Edge e : edges) {
            now += e.delta();
            most = Math.max(most, now);
        }
        return most;
    }

    /**
     * Whether the current thread belongs to the common pool, or is the thread that
     * {@code CompletableFuture}'s default executor makes per task when the common pool has a
     * parallelism of 1 (JDK 21 and earlier on a machine with one or two processors).
     */
    static boolean currentOnCommonPool() {
        Thread t = Thread.currentThread();
        if (t instanceof ForkJoinWorkerThread w && w.getPool() == ForkJoinPool.commonPool()) {
            return true;
        }
        if (t.isVirtual()) {
            return false;
        }
        StackTraceElement[] stack = new Throwable().getStackTrace();
        for (int i = 0; i < stack.length; i++) {
            if (stack[i].getClassName().startsWith("java.util.concurrent.CompletableFuture$Async")) {
                for (int j = i + 1; j < stack.length; j++) {
                    if (!stack[j].getClassName().equals("java.lang.Thread")) {
                        return false;
                    }
                }
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return "Errands[" + each + " each, " + spans() + "]";
    }

    private static final class Record {
        final String name;
        final Thread thread;
        final boolean commonPool;
        final long start;
        volatile long end;
        volatile boolean ended;
        volatile boolean interrupted;

        Record(String name, Thread thread, boolean commonPool) {
            this.name = name;
            this.thread = thread;
            this.commonPool = commonPool;
            this.start = System.nanoTime();
        }
    }

    private static final class Round {
        final long origin = System.nanoTime();
        final List<Record> records = new CopyOnWriteArrayList<>();
        final Set<String> handedOut = Collections.synchronizedSet(new LinkedHashSet<>());
        volatile boolean closed;

        Round(boolean closed) {
            this.closed = closed;
        }

        List<Errand> spans() {
            return spans(0, Integer.MAX_VALUE);
        }

        List<Errand> spans(int from, int to) {
            List<Record> all = List.copyOf(records);
            int last = Math.min(to, all.size());
            List<Errand> out = new ArrayList<>();
            for (Record r : all.subList(Math.min(from, last), last)) {
                boolean ended = r.ended;
                long end = r.end;
                out.add(new Errand(r.name, Duration.ofNanos(r.start - origin),
                        !ended ? Optional.empty() : Optional.of(Duration.ofNanos(end - origin)),
                        r.thread.getName(), r.thread.isVirtual(), r.commonPool,
                        r.interrupted || !ended && r.thread.isInterrupted()));
            }
            out.sort(Comparator.comparing(Errand::start));
            return List.copyOf(out);
        }
    }
}
