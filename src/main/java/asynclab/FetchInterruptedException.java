package asynclab;

/**
 * Thrown by a blocking fetch of {@link Content} when its thread is interrupted while it waits:
 * the unchecked form of {@link InterruptedException}, so that {@code content::getPosts} still fits
 * a {@code Supplier} such as {@code CompletableFuture.supplyAsync} takes.
 *
 * <p>An interrupt is a request to <em>this thread</em> to stop what it is doing: {@code
 * future.cancel(true)} on an executor's future, {@code shutdownNow()}, or a structured task scope
 * that gives up on a subtask all send one. When the fetch throws this, the thread's interrupt flag
 * is set again, so the next wait of the same thread sees the request too; the original
 * {@code InterruptedException} is the cause.
 *
 * <p>It is not a {@link java.util.concurrent.CancellationException}: that one says a
 * <em>future</em> was cancelled, and comes out of that future's {@code join()} or {@code get()}
 * on the thread that waits for the result, not out of the work. A cancelled
 * {@code CompletableFuture} does not interrupt the thread running its work at all.
 *
 * {@snippet class=asynclab.ContentTest region=interrupted :
 * try {
 *     return content.getAlbums();
 * } catch (FetchInterruptedException e) {          // this thread was asked to stop
 *     System.out.println("albums: interrupted");
 *     throw e;                                     // the flag is still set
 * }
 * }
 */
public final class FetchInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * For fetches of your own that wait: throw it after setting the interrupt flag again, as
     * {@code Content} does, so callers can tell an interrupt from a cancelled future.
     */
    FetchInterruptedException(String what, InterruptedException cause) {
        super("the fetch of " + what + " was interrupted", cause);
    }
}
