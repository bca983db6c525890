package asynclab;

import asynclab.check.Check;
import asynclab.clock.VirtualClock;
import asynclab.junit.TestRun;
import asynclab.show.Chart;
import asynclab.timeline.Timeline;
import asynclab.timing.Timed;
import java.time.Duration;

/**
 * The course's entry point, meant to be imported statically: {@code import static asynclab.Lab.*;}.
 *
 * <p>Each method starts one idea of the helper library with a verb that reads well in a cell:
 * {@snippet :
 * time(() -> loadBoth(content));                 // Execution time: 1.00 seconds.
 * Timeline gathered = timeline("Gathered");      // then gathered.track("posts", ...)
 * show(sequential, gathered);                    // two timelines on one time axis
 * check("gathered load").takesAbout(1.0, () -> loadBoth(content));
 * runTests(PostsTest.class);
 * }
 *
 * <p>Methods that print or draw return nothing: a notebook shows the value of a cell's last
 * expression, so a returned value would appear under the cell as noise.
 */
public final class Lab {
    private Lab() {}

    /**
     * Runs {@code block} and prints the guide's line, {@code Execution time: 1.00 seconds.}
     *
     * <p>The block runs inside this one call to compiled code, so the kernel's compilation of
     * the cell around it is not counted; timing two statements of a cell apart would count it.
     * Checked exceptions thrown by the block come out wrapped in
     * {@link java.util.concurrent.CompletionException}, unchecked ones as they are, and nothing
     * is printed when the block throws.
     */
    public static void time(Block block) {
        System.out.println(timed(block).line());
    }

    /** Runs {@code block} and prints {@code label: Execution time: 1.00 seconds.}; see {@link #time(Block)}. */
    public static void time(String label, Block block) {
        System.out.println(label + ": " + timed(block).line());
    }

    /** Runs {@code work} and returns its value and how long it took, printing nothing; see {@link #time(Block)}. */
    public static <T> Timed<T> measure(Work<T> work) {
        long start = System.nanoTime();
        T value = work.getUnchecked();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    private static Timed<Void> timed(Block block) {
        return measure(() -> {
            block.run();
            return null;
        });
    }

    /** A new, empty timeline on the wall clock; see {@link Timeline}. */
    public static Timeline timeline(String title) {
        return Timeline.start(title);
    }

    /** A new, empty timeline that reads virtual time from {@code clock}, for tests on a {@link VirtualClock}. */
    public static Timeline timeline(String title, VirtualClock clock) {
        return Timeline.start(title, clock);
    }

    /** Draws one timeline, or several stacked on one shared time axis. */
    public static void show(Timeline... timelines) {
        if (timelines.length == 0) {
            throw new IllegalArgumentException("no timeline to draw");
        }
        timelines[0].show(java.util.Arrays.copyOfRange(timelines, 1, timelines.length));
    }

    /** A check called {@code what}; end it with a verb such as {@code expect}; see {@link Check}. */
    public static Check check(String what) {
        return Check.that(what);
    }

    /** Runs JUnit Jupiter test classes, declared in cells or not, and prints a summary; see {@link TestRun}. */
    public static void runTests(Class<?>... testClasses) {
        TestRun.runTests(testClasses);
    }

    /** An empty line chart with this title; see {@link Chart}. */
    public static Chart chart(String title) {
        return Chart.titled(title);
    }
}
