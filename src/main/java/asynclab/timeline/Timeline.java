package asynclab.timeline;

import asynclab.Block;
import asynclab.Work;
import asynclab.clock.VirtualClock;
import asynclab.show.Notebook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A record of when each task started and ended, drawn as a Gantt chart: the picture that shows
 * whether work overlapped.
 *
 * <p>Wrap each piece of work in {@link #track}, from whatever thread runs it, then draw the
 * result with {@link #show()}:
 * {@snippet :
 * Timeline gathered = Timeline.start("Gathered");
 * try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
 *     pool.submit(() -> gathered.track("posts", content::getPosts));
 *     pool.submit(() -> gathered.track("albums", content::getAlbums));
 * }
 * gathered.show();
 * }
 *
 * <p>Recording is thread-safe and costs a few hundred nanoseconds. Times are drawn from the start
 * of the earliest task, so the kernel's compilation of a cell before its first task is not shown.
 * A task still running when the picture is drawn is drawn up to that moment, marked "running".
 *
 * <p>Up to {@value #MAX_ROWS} tasks get a row each. Beyond that the first rows are drawn and one
 * summary row shows how many tasks were running at each moment, so that a thousand tasks still
 * make a small picture. Each SVG has a {@code <title>} and a {@code <desc>} for screen readers,
 * labels on its bars, and the colour-blind-safe Okabe–Ito colours.
 */
public final class Timeline {
    /** The most tasks drawn as rows of their own; more are summarised in one row. */
    public static final int MAX_ROWS = 30;

    /**
     * One tracked task, with times measured from the timeline's first start.
     *
     * @param label  the name given to {@code track} or {@code begin}
     * @param thread the name of the thread that started it (or {@code "virtual#id"} for an unnamed virtual thread)
     * @param start  when it started
     * @param end    when it ended, or empty while it is running
     */
    public record Task(String label, String thread, Duration start, Optional<Duration> end) {
        /** How long it ran, up to {@code now} if it has not ended. */
        public Duration length(Duration now) {
            return end.orElse(now).minus(start);
        }

        /** True if the two tasks were running at the same moment (touching ends do not count). */
        public boolean overlaps(Task other, Duration now) {
            return start.compareTo(other.end.orElse(now)) < 0 && other.start.compareTo(end.orElse(now)) < 0;
        }
    }

    /**
     * A task started by hand with {@link #begin}; {@link #close()} (or {@link #end()}) marks its end.
     * Use it in try-with-resources: {@code try (var span = timeline.begin("cafe")) { ... }}.
     */
    public final class Span implements AutoCloseable {
        final String label;
        final String thread;
        final long seq;
        final long start;
        volatile long end = Long.MIN_VALUE;

        private Span(String label) {
            this.label = Objects.requireNonNull(label, "label");
            Thread t = Thread.currentThread();
            this.thread = t.getName().isEmpty() ? (t.isVirtual() ? "virtual#" : "thread#") + t.threadId() : t.getName();
            this.seq = counter.getAndIncrement();
            this.start = clock.getAsLong();
        }

        /** Marks the end of the task now; later calls change nothing. */
        public void end() {
            if (end == Long.MIN_VALUE) {
                end = clock.getAsLong();
            }
        }

        /** Same as {@link #end()}. */
        @Override
        public void close() {
            end();
        }
    }

    private final String title;
    private final LongSupplier clock;
    private final AtomicLong counter = new AtomicLong();
    private final ConcurrentLinkedQueue<Span> spans = new ConcurrentLinkedQueue<>();

    private Timeline(String title, LongSupplier clock) {
        this.title = Objects.requireNonNull(title, "title");
        this.clock = clock;
    }

    /** A new, empty timeline on the wall clock ({@link System#nanoTime()}). */
    public static Timeline start(String title) {
        return new Timeline(title, System::nanoTime);
    }

    /** A new, empty timeline that reads virtual time from {@code clock}. */
    public static Timeline start(String title, VirtualClock clock) {
        Objects.requireNonNull(clock, "clock");
        return new Timeline(title, clock::nanoTime);
    }

    /** The title drawn above the chart. */
    public String title() {
        return title;
    }

    /**
     * Runs {@code work} as a task called {@code label} and returns its value. The task ends when
     * the work returns or throws. Unchecked exceptions pass through; checked ones come out
     * wrapped in {@link CompletionException}.
     */
    public <T> T track(String label, Work<T> work) {
        Objects.requireNonNull(work, "work");
        Span span = begin(label);
        try {
            return work.getUnchecked();
        } finally {
            span.end();
        }
    }

    /** Runs {@code block} as a task called {@code label}; see {@link #track(String, Work)}. */
    public void track(String label, Block block) {
        Objects.requireNonNull(block, "block");
        track(label, () -> {
            block.run();
            return null;
        });
    }

    /**
     * Starts the asynchronous work now and records a task that ends when its future completes.
     * The returned future completes after the end is recorded, with the same outcome.
     */
    public <T> CompletableFuture<T> trackAsync(String label, Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        Span span = begin(label);
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (RuntimeException | Error e) {
            span.end();
            throw e;
        }
        if (stage == null) {
            span.end();
            throw new NullPointerException("the work for \"" + label + "\" returned null instead of a future");
        }
        return stage.toCompletableFuture().whenComplete((value, failure) -> span.end());
    }

    /** Starts a task by hand; end it with {@link Span#close()}, best in try-with-resources. */
    public Span begin(String label) {
        Span span = new Span(label);
        spans.add(span);
        return span;
    }

    /** The tasks so far, ordered by start time, with times from the first start. */
    public List<Task> tasks() {
        long origin = origin();
        List<Span> sorted = sortedSpans();
        List<Task> out = new ArrayList<>(sorted.size());
        for (Span s : sorted) {
            long end = s.end;
            out.add(new Task(s.label, s.thread, Duration.ofNanos(s.start - origin),
                    end == Long.MIN_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(end - origin))));
        }
        return out;
    }

    /** The first task with this label, if any. */
    public Optional<Task> task(String label) {
        return tasks().stream().filter(t -> t.label().equals(label)).findFirst();
    }

    /** From the first start to the last end (or to now, while a task is running). */
    public Duration total() {
        return Duration.ofNanos(snapshot().total());
    }

    /** The largest number of tasks that were running at one moment. */
    public int maxOverlap() {
        return snapshot().maxOverlap();
    }

    /**
     * True if the first task called {@code a} and the first called {@code b} were running at the
     * same moment; false if they were not or either is missing.
     */
    public boolean overlap(String a, String b) {
        Optional<Task> ta = task(a);
        Optional<Task> tb = task(b);
        Duration now = total();
        return ta.isPresent() && tb.isPresent() && ta.get().overlaps(tb.get(), now);
    }

    /** Draws the timeline under the cell (inline SVG), or prints {@link #text()} outside a notebook. */
    public void show() {
        showAll(this);
    }

    /** The picture as a standalone {@code <svg>} element. */
    public String svg() {
        return svgOf(this);
    }

    /** The picture in characters, for terminals and for the text copy of the notebook output. */
    public String text() {
        return textOf(this);
    }

    /** Draws several timelines stacked on one shared time axis, to compare them. */
    public static void showAll(Timeline... timelines) {
        List<Timeline> list = List.of(timelines);
        Notebook.svg(GanttSvg.render(snapshots(list)), GanttText.render(snapshots(list)));
    }

    /** Several timelines as one SVG, stacked on one shared time axis. */
    public static String svgOf(Timeline... timelines) {
        return GanttSvg.render(snapshots(List.of(timelines)));
    }

    /** Several timelines as text, stacked on one shared time axis. */
    public static String textOf(Timeline... timelines) {
        return GanttText.render(snapshots(List.of(timelines)));
    }

    @Override
    public String toString() {
        Snapshot s = snapshot();
        return "Timeline[" + title + ", " + s.bars().size() + " tasks, " + Snapshot.seconds(s.total()) + "]";
    }

    // ---------------------------------------------------------------------------------------------

    private List<Span> sortedSpans() {
        List<Span> list = new ArrayList<>(spans);
        list.sort(Comparator.<Span>comparingLong(s -> s.start).thenComparingLong(s -> s.seq));
        return list;
    }

    private long origin() {
        long min = Long.MAX_VALUE;
        for (Span s : spans) {
            min = Math.min(min, s.start);
        }
        return min == Long.MAX_VALUE ? 0 : min;
    }

    private static List<Snapshot> snapshots(List<Timeline> timelines) {
        if (timelines.isEmpty()) {
            throw new IllegalArgumentException("no timeline to draw");
        }
        return timelines.stream().map(t -> Objects.requireNonNull(t, "timeline").snapshot()).toList();
    }

    Snapshot snapshot() {
        long now = clock.getAsLong();
        List<Span> sorted = sortedSpans();
        long origin = origin();
        List<Snapshot.Bar> bars = new ArrayList<>(sorted.size());
        long total = 0;
        for (Span s : sorted) {
            long end = s.end;
            boolean running = end == Long.MIN_VALUE;
            long e = (running ? now : end) - origin;
            bars.add(new Snapshot.Bar(s.label, s.start - origin, Math.max(e, s.start - origin), running));
            total = Math.max(total, e);
        }
        return new Snapshot(title, bars, total);
    }
}
