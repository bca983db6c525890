package asynclab;

import java.time.Duration;

/**
 * The value a piece of work returned and how long it took, as {@code Lab.measure} gives them.
 *
 * @param value   what the work returned, possibly {@code null}
 * @param elapsed the wall-clock time it took
 * @param <T>     the type of the value
 */
public record Timed<T>(T value, Duration elapsed) {
    /** The elapsed time in seconds, for comparisons such as {@code t.seconds() < 1.5}. */
    public double seconds() {
        return elapsed.toNanos() / 1e9;
    }

    /** The value and the time, as in {@code [Post[id=1, title=Lorem Ipsum]] in 1.00 s}. */
    @Override
    public String toString() {
        return value + " in " + Seconds.format(elapsed);
    }

    /** The course's line for this duration: {@code Execution time: 1.00 seconds.} */
    public String line() {
        return Seconds.line(elapsed);
    }
}
