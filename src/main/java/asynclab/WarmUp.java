package asynclab;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

/**
 * Runs, once and untimed, what the lessons' first timed blocks use, so that their first figure
 * is the guide's: a sleep on a virtual thread, {@code supplyAsync} and {@code allOf} on a
 * virtual-thread executor, a record's {@code toString} (about 10 ms).
 *
 * <p>Without it the first timing in a fresh kernel also counts loading and linking those classes:
 * lesson 04's first gathered load once printed {@code 1.07} seconds where the guide prints
 * {@code 1.00}. {@code Lab}'s static initialiser calls {@link #run()}, so it happens at the first
 * use of any {@code Lab} verb, before that verb starts its clock. It leaves no thread running: the
 * executor is closed, and the JDK's carrier and timer threads it starts are daemons.
 */
final class WarmUp {
    private WarmUp() {}

    /** Runs the warm-up on this thread's call; returns when everything it started has ended. */
    static void run() {
        try (var errands = Executors.newVirtualThreadPerTaskExecutor()) {
            var fetched = CompletableFuture.supplyAsync(WarmUp::fetch, errands);
            CompletableFuture.allOf(fetched).join();
        }
    }

    private static String fetch() {
        try {
            RealDelay.INSTANCE.sleep(Duration.ofMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return List.of(new Post(0, "warm-up")).toString();
    }
}
