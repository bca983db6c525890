package asynclab.timing;

import java.time.Duration;
import java.util.Locale;

/**
 * Times a block of code and reports it in the course's one line, {@code Execution time: 1.00 seconds.}
 *
 * <p>The block runs inside one call to precompiled code, so the notebook kernel's compilation of
 * the cell around it is not counted: timing two statements of a cell apart would include it.
 */
public final class Stopwatch {
    private Stopwatch() {}

    /** A block of code that may throw, as most blocking waits do. */
    @FunctionalInterface
    public interface Block {
        void run() throws Exception;
    }

    /** Runs {@code block}, prints how long it took and returns that duration. */
    public static Duration time(Block block) {
        long start = System.nanoTime();
        try {
            block.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        System.out.println(line(elapsed));
        return elapsed;
    }

    /** The guide's line for a duration, with two decimals whatever the locale. */
    public static String line(Duration elapsed) {
        return String.format(Locale.ROOT, "Execution time: %.2f seconds.", elapsed.toNanos() / 1e9);
    }
}
