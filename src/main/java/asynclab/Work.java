package asynclab;

/**
 * A piece of code that computes a value and may throw: a {@link java.util.concurrent.Callable}
 * with a name that reads well in a notebook.
 *
 * @param <T> the type of the value
 */
@FunctionalInterface
public interface Work<T> {
    /** Computes the value. */
    T get() throws Exception;
}
