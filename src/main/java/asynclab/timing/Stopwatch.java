package asynclab.timing;

import asynclab.Block;
import asynclab.Work;
import asynclab.clock.Delay;
import asynclab.content.Post;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

/**
 * Times a block of code and reports it in the course's one line, {@code Execution time: 1.00 seconds.}
 *
 * <p>The block runs inside one call to precompiled code, so the notebook kernel's compilation of
 * the cell around it is not counted: timing two statements of a cell apart would include it.
 *
 * <p>Checked exceptions thrown by the block come out wrapped in {@link CompletionException};
 * unchecked ones come out as they are. Nothing is printed when the block throws.
 *
 * <p>The first use in a JVM first runs a short warm-up (about 10 ms, not timed): a sleep on a
 * virtual thread, {@code supplyAsync} and {@code allOf} on a virtual-thread executor, a record's
 * {@code toString}. Without it the first figure of a fresh kernel also counts the loading and
 * linking of those classes: lesson 03's first gathered load once printed 1.07 s for 1.00.
 */
public final class Stopwatch {
    static {
        WarmUp.run();
    }

    private Stopwatch() {}

    /** Its own class: a lambda of Stopwatch run on another thread during Stopwatch's static
     *  initialisation would wait for that initialisation, which waits for it. */
    private static final class WarmUp {
        static void run() {
            try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
                var slept = CompletableFuture.supplyAsync(WarmUp::fetch, errands);
                CompletableFuture.allOf(slept).join();
            }
        }

        private static String fetch() {
            try {
                Delay.real().sleep(Duration.ofMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Post(0, "warm-up")).toString();
        }
    }

    /** Runs {@code block} and prints {@code Execution time: 1.00 seconds.} */
    public static void time(Block block) {
        time(null, block);
    }

    /** Runs {@code block} and prints {@code label: Execution time: 1.00 seconds.} */
    public static void time(String label, Block block) {
        Timed<Void> timed = measure(() -> {
            block.run();
            return null;
        });
        System.out.println(label == null ? timed.line() : label + ": " + timed.line());
    }

    /** Runs {@code work} and returns its value with the time it took; prints nothing. */
    public static <T> Timed<T> measure(Work<T> work) {
        long start = System.nanoTime();
        T value = work.getUnchecked();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The guide's line for a duration, with two decimals whatever the locale. */
    public static String line(Duration elapsed) {
        return String.format(Locale.ROOT, "Execution time: %.2f seconds.", elapsed.toNanos() / 1e9);
    }
}
