package asynclab;

import java.util.concurrent.CompletionException;

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

    /**
     * Computes the value where no checked exception may pass: unchecked ones pass through as they
     * are, checked ones come out wrapped in {@link CompletionException}, as
     * {@code CompletableFuture.join()} reports them; an interrupt is kept on the thread.
     */
    default T getUnchecked() {
        try {
            return get();
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        } catch (Exception e) {
            throw new CompletionException(e);
        }
    }
}
