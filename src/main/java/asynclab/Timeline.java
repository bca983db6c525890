package asynclab;

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
 * result with {@link #show(Timeline...) show()}:
 * {@snippet class=asynclab.TimelineTest region=example :
 * Timeline gathered = timeline("Gathered");
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
 * Every picture, list and figure is computed from one copy of the tasks taken at one moment.
 *
 * <p>Rows are in order of start. Tasks that start within {@value #TOGETHER_MILLIS} ms of the
 * first of them (or within 1 % of the picture's length, if that is more) count as started
 * together, and are ordered by name, numbers in names compared as numbers ({@code task 2}
 * before {@code task 10}), then in the order they began. Two tasks submitted one after the other
 * start a few microseconds apart, in an order that changes from run to run; without this rule
 * their rows would swap between two pictures of the same program.
 *
 * <p>Up to {@value #MAX_ROWS} tasks get a row each. Beyond that the first rows are drawn and one
 * summary row shows how many tasks were running at each moment, so that a thousand tasks still
 * make a small picture. Each SVG has a {@code <title>} and a {@code <desc>} for screen readers,
 * labels on its bars, and the colour-blind-safe Okabe–Ito colours.
 */
public final class Timeline {
    /** The most tasks drawn as rows of their own; more are summarised in one row. */
    static final int MAX_ROWS = 30;

    /** Starts closer than this, in milliseconds, count as together when rows are ordered. */
    static final int TOGETHER_MILLIS = 5;

    /**
     * One tracked task, with times measured from the timeline's first start.
     *
     * @param name   the name given to {@code track} or {@code begin}
     * @param thread the name of the thread that started it (or {@code "virtual#id"} for an unnamed virtual thread)
     * @param start  when it started
     * @param end    when it ended, or empty while it is running
     */
    public record Task(String name, String thread, Duration start, Optional<Duration> end) {
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
     * Use it in try-with-resources: {@code try (var cafe = timeline.begin("cafe")) { ... }}.
     */
    public final class Started implements AutoCloseable {
        final String name;
        final String thread;
        final long seq;
        final long start;
        volatile long end = Long.MIN_VALUE;

        private Started(String name) {
            this.name = Objects.requireNonNull(name, "name");
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
    private final ConcurrentLinkedQueue<Started> started = new ConcurrentLinkedQueue<>();

    private Timeline(String title, LongSupplier clock) {
        this.title = Objects.requireNonNull(title, "title");
        this.clock = clock;
    }

    /**
     * A new, empty timeline on the wall clock ({@link System#nanoTime()}).
     *
     * <p>Notebooks say {@code timeline(title)} ({@code Lab.timeline}), which calls this; it is
     * public only because {@code Lab} lives in another package.
     */
    static Timeline start(String title) {
        return new Timeline(title, System::nanoTime);
    }

    /**
     * A new, empty timeline that reads virtual time from {@code clock}: a task that sleeps a
     * virtual second on it is drawn one second long, however little real time passed.
     *
     * <p>Notebooks say {@code timeline(title, clock)} ({@code Lab.timeline}), which calls this.
     */
    static Timeline start(String title, VirtualClock clock) {
        Objects.requireNonNull(clock, "clock");
        return new Timeline(title, clock::nanoTime);
    }

    /** The title drawn above the chart. */
    public String title() {
        return title;
    }

    /**
     * Runs {@code work} as a task called {@code name} and returns its value. The task ends when
     * the work returns or throws. Unchecked exceptions pass through; checked ones come out
     * wrapped in {@link CompletionException}.
     */
    public <T> T track(String name, Work<T> work) {
        Objects.requireNonNull(work, "work");
        Started task = begin(name);
        try {
            return Unchecked.get(work);
        } finally {
            task.end();
        }
    }

    /** Runs {@code block} as a task called {@code name}; see {@link #track(String, Work)}. */
    public void track(String name, Block block) {
        Objects.requireNonNull(block, "block");
        track(name, () -> {
            block.run();
            return null;
        });
    }

    /**
     * Starts the asynchronous work now and records a task that ends when its future completes.
     * The returned future completes after the end is recorded, with the same outcome.
     */
    public <T> CompletableFuture<T> trackAsync(String name, Supplier<? extends CompletionStage<T>> work) {
        Objects.requireNonNull(work, "work");
        Started task = begin(name);
        CompletionStage<T> stage;
        try {
            stage = work.get();
        } catch (RuntimeException | Error e) {
            task.end();
            throw e;
        }
        if (stage == null) {
            task.end();
            throw new NullPointerException("the work for \"" + name + "\" returned null instead of a future");
        }
        return stage.toCompletableFuture().whenComplete((value, failure) -> task.end());
    }

    /** Starts a task by hand; end it with {@link Started#close()}, best in try-with-resources. */
    public Started begin(String name) {
        Started task = new Started(name);
        started.add(task);
        return task;
    }

    /** The tasks so far, in row order (see the class comment), with times from the first start. */
    public List<Task> tasks() {
        return copy().tasks();
    }

    /** The first task with this name in row order, if any. */
    public Optional<Task> task(String name) {
        return first(tasks(), name);
    }

    /** From the first start to the last end (or to now, while a task is running). */
    public Duration total() {
        return Duration.ofNanos(snapshot().total());
    }

    /** The largest number of tasks that were running at one moment. */
    public int mostAtOnce() {
        return snapshot().mostAtOnce();
    }

    /**
     * True if the first task called {@code a} and the first called {@code b} were running at the
     * same moment; false if they were not or either is missing.
     */
    public boolean overlap(String a, String b) {
        Copy copy = copy();
        List<Task> tasks = copy.tasks();
        Optional<Task> ta = first(tasks, a);
        Optional<Task> tb = first(tasks, b);
        Duration now = Duration.ofNanos(copy.now - copy.origin);
        return ta.isPresent() && tb.isPresent() && ta.get().overlaps(tb.get(), now);
    }

    /**
     * Draws this timeline under the cell (inline SVG), or prints {@link #text} outside a notebook;
     * with {@code others}, draws them all stacked on one shared time axis, this one on top.
     */
    public void show(Timeline... others) {
        List<Snapshot> panels = snapshots(this, others);
        Notebook.showSvg(GanttSvg.render(panels), GanttText.render(panels));
    }

    /** The picture as a standalone {@code <svg>} element; with {@code others}, all on one time axis. */
    public String svg(Timeline... others) {
        return GanttSvg.render(snapshots(this, others));
    }

    /** The picture in characters, for terminals and the text copy of the notebook output; see {@link #svg}. */
    public String text(Timeline... others) {
        return GanttText.render(snapshots(this, others));
    }

    @Override
    public String toString() {
        Snapshot s = copy().snapshot();
        return "Timeline[" + title + ", " + s.bars().size() + " tasks, " + Seconds.format(s.total()) + "]";
    }

    // ---------------------------------------------------------------------------------------------

    /** A task as it was at one moment: its end read once ({@code Long.MIN_VALUE} while running). */
    private record Row(String name, String thread, long seq, long start, long end) {}

    /** The rows in row order, as they were at one moment, with that moment and the first start. */
    private record Copy(String title, List<Row> rows, long now, long origin) {
        List<Task> tasks() {
            List<Task> out = new ArrayList<>(rows.size());
            for (Row r : rows) {
                out.add(new Task(r.name, r.thread, Duration.ofNanos(r.start - origin),
                        r.end == Long.MIN_VALUE ? Optional.empty() : Optional.of(Duration.ofNanos(r.end - origin))));
            }
            return out;
        }

        Snapshot snapshot() {
            List<Snapshot.Bar> bars = new ArrayList<>(rows.size());
            long total = 0;
            for (Row r : rows) {
                boolean running = r.end == Long.MIN_VALUE;
                long from = r.start - origin;
                long to = Math.max(from, (running ? now : r.end) - origin);
                bars.add(new Snapshot.Bar(r.name, from, to, running));
                total = Math.max(total, to);
            }
            return new Snapshot(title, bars, total);
        }
    }

    /** One copy of the tasks, each end read once, then the clock read once: no bar ends after "now". */
    private Copy copy() {
        List<Row> list = new ArrayList<>();
        for (Started s : started) {
            list.add(new Row(s.name, s.thread, s.seq, s.start, s.end));
        }
        long now = clock.getAsLong();
        if (list.isEmpty()) {
            return new Copy(title, list, now, now);
        }
        long origin = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (Row r : list) {
            origin = Math.min(origin, r.start);
            last = Math.max(last, r.end == Long.MIN_VALUE ? now : r.end);
        }
        long together = Math.max(TOGETHER_MILLIS * 1_000_000L, (last - origin) / 100);
        list.sort(Comparator.comparingLong(Row::start).thenComparingLong(Row::seq));
        List<Row> rows = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); ) {
            int j = i + 1;
            while (j < list.size() && list.get(j).start - list.get(i).start <= together) {
                j++;
            }
            List<Row> group = new ArrayList<>(list.subList(i, j));
            group.sort(Comparator.comparing(Row::name, Timeline::naturally).thenComparingLong(Row::seq));
            rows.addAll(group);
            i = j;
        }
        return new Copy(title, rows, now, origin);
    }

    /** Compares names as text, except that runs of digits compare as numbers. */
    static int naturally(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                String na = a.substring(si, i).replaceFirst("^0+(?=.)", "");
                String nb = b.substring(sj, j).replaceFirst("^0+(?=.)", "");
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static Optional<Task> first(List<Task> tasks, String name) {
        return tasks.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static List<Snapshot> snapshots(Timeline first, Timeline... others) {
        List<Snapshot> panels = new ArrayList<>(1 + others.length);
        panels.add(first.copy().snapshot());
        for (Timeline t : others) {
            panels.add(Objects.requireNonNull(t, "timeline").copy().snapshot());
        }
        return panels;
    }

    Snapshot snapshot() {
        return copy().snapshot();
    }
}
