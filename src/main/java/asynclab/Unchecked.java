package asynclab;

import java.util.concurrent.CompletionException;

/** Runs a {@link Work} where no checked exception may pass, as every helper that runs one does. */
final class Unchecked {
    private Unchecked() {}

    /**
     * Computes the value where no checked exception may pass: unchecked ones pass through as they
     * are, checked ones come out wrapped in {@link CompletionException}, as
     * {@code CompletableFuture.join()} reports them; an interrupt is kept on the thread.
     */
    static <T> T get(Work<T> work) {
        try {
            return work.get();
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
