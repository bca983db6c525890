package asynclab.timing;

import asynclab.Block;
import asynclab.Work;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;

/**
 * Times a block of code and reports it in the course's one line, {@code Execution time: 1.00 seconds.}
 *
 * <p>The block runs inside one call to precompiled code, so the notebook kernel's compilation of
 * the cell around it is not counted: timing two statements of a cell apart would include it.
 *
 * <p>Checked exceptions thrown by the block come out wrapped in {@link CompletionException};
 * unchecked ones come out as they are. Nothing is printed when the block throws.
 */
public final class Stopwatch {
    private Stopwatch() {}

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
