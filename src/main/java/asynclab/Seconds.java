package asynclab;

import java.time.Duration;
import java.util.Locale;

/**
 * How the course writes a length of time: seconds with two decimals, {@code 1.00 s}, whatever
 * the locale.
 *
 * <p>Every line and picture of the helper library writes times through this class, so a figure
 * in a timeline, a check's verdict and the guide's {@code Execution time: 1.00 seconds.} always
 * round the same way: to the nearest hundredth, half up ({@code 0.995 s} reads {@code 1.00 s},
 * {@code 0.994 s} reads {@code 0.99 s}).
 */
final class Seconds {
    private Seconds() {}

    /** {@code 1.00 s} for one second. */
    static String format(Duration d) {
        return format(d.toNanos());
    }

    /** {@code 1.00 s} for 1,000,000,000 nanoseconds. */
    static String format(long nanos) {
        return number(nanos) + " s";
    }

    /** {@code 0.00–1.00 s}: from one moment to another, with one unit. */
    static String range(long fromNanos, long toNanos) {
        return number(fromNanos) + "–" + number(toNanos) + " s";
    }

    /** The guide's line: {@code Execution time: 1.00 seconds.} */
    static String line(Duration d) {
        return "Execution time: " + number(d.toNanos()) + " seconds.";
    }

    private static String number(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }
}
