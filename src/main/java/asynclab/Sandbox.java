package asynclab;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a learner's answer for a check on a platform thread of its own, within a timeout, and
 * turns whatever it does (a value, an exception, the stub, never ending) into an outcome that a
 * verdict line can end with. Never a virtual thread: an answer that spins forever would hold one
 * of the few carriers.
 */
final class Sandbox {
    static final String RESTART = "restart the kernel (Kernel → Restart) to stop it";

    private Sandbox() {}

    record Outcome<T>(T value, String problem) {}

    /**
     * Where an answer runs: threads it starts inherit the daemon status of this thread. Never a
     * virtual thread, so an answer that spins forever does not hold one of the few carriers.
     */
    enum Where { DAEMON, PLATFORM }

    /** Runs the answer on its own thread; a problem is described as the end of "expected X, …". */
    static <T> Outcome<T> run(Work<T> answer, Duration timeout, Where where) {
        if (answer == null) {
            return new Outcome<>(null, "got no answer at all (null instead of code to run)");
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        Runnable body = () -> {
            try {
                result.complete(answer.get());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        };
        Thread thread = switch (where) {
            case DAEMON -> Thread.ofPlatform().daemon(true).name("check").start(body);
            case PLATFORM -> Thread.ofPlatform().daemon(false).name("check").start(body);
        };
        try {
            return new Outcome<>(result.get(timeout.toNanos(), TimeUnit.NANOSECONDS), null);
        } catch (ExecutionException e) {
            return new Outcome<>(null, threw(e.getCause()));
        } catch (TimeoutException e) {
            thread.interrupt();
            boolean stopped = join(thread, 1000);
            if (stopped) {
                return new Outcome<>(null, "but it was still running after " + secs(timeout)
                        + " (it has been stopped): is something waiting forever?");
            }
            boolean spinning = thread.getState() == Thread.State.RUNNABLE;
            return new Outcome<>(null, "but it was still running after " + secs(timeout)
                    + " and did not stop when interrupted, so it is "
                    + (spinning ? "still running and using a processor, slowing every cell after it"
                            : "still waiting (join() and some locks ignore interrupts) and stays until the kernel stops")
                    + ": make it respond to interrupts (and wait with a timeout), and " + RESTART);
        } catch (InterruptedException e) {
            thread.interrupt();
            Thread.currentThread().interrupt();
            return new Outcome<>(null, "but the check was interrupted before the answer finished");
        }
    }

    private static String threw(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof UnsupportedOperationException && "your turn".equalsIgnoreCase(String.valueOf(t.getMessage()))) {
            return "but the exercise is not answered yet (it still throws UnsupportedOperationException: your turn)";
        }
        String message = t.getMessage() == null ? "" : ": " + Check.oneLine(t.getMessage());
        return "but it threw " + t.getClass().getSimpleName() + message;
    }

    static String secs(Duration d) {
        double s = d.toNanos() / 1e9;
        return s == Math.rint(s) ? String.format(Locale.ROOT, "%.0f s", s) : String.format(Locale.ROOT, "%.1f s", s);
    }

    private static boolean join(Thread t, long millis) {
        try {
            return t.join(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !t.isAlive();
        }
    }

    static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
