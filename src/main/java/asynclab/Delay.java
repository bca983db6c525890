package asynclab;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A way to wait: the one thing code that "takes a while" needs from the outside world.
 *
 * <p>Code that waits through a {@code Delay} handed to it, instead of calling
 * {@link Thread#sleep} itself, can be tested without waiting: give it a {@link VirtualClock}.
 * This is the Java counterpart of patching {@code asyncio.sleep} in a Python test.
 *
 * {@snippet class=asynclab.ExamplesTest region=delay :
 * Delay delay = realDelay();
 * delay.sleep(Duration.ofSeconds(1));                        // this thread waits one second
 * delay.after(Duration.ofSeconds(1)).thenRun(() -> later.complete("a second later")); // nothing waits
 * }
 */
public interface Delay {
    /**
     * Blocks the calling thread for {@code d}.
     *
     * @throws InterruptedException if the thread is interrupted while it waits
     * @throws IllegalArgumentException if {@code d} is negative
     */
    void sleep(Duration d) throws InterruptedException;

    /**
     * Returns a future that completes {@code d} from now, blocking no thread meanwhile.
     *
     * @throws IllegalArgumentException if {@code d} is negative
     */
    CompletableFuture<Void> after(Duration d);
}
