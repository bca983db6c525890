package asynclab;

/**
 * A piece of code to run for its effect, which may throw, as most blocking waits do.
 *
 * <p>Every helper that runs code without needing its value takes a {@code Block}, so a lambda
 * such as {@code () -> Thread.sleep(1000)} needs no {@code try}/{@code catch} in a notebook cell.
 */
@FunctionalInterface
public interface Block {
    /** Runs the code. */
    void run() throws Exception;
}
