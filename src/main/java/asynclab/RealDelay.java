package asynclab;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/** The wall clock behind {@link Delay#real()}. */
final class RealDelay implements Delay {
    static final RealDelay INSTANCE = new RealDelay();
    private static final Executor VIRTUAL = r -> Thread.ofVirtual().name("delay").start(r);

    private RealDelay() {}

    @Override
    public void sleep(Duration d) throws InterruptedException {
        Thread.sleep(checked(d));
    }

    @Override
    public CompletableFuture<Void> after(Duration d) {
        long nanos = checked(d).toNanos();
        return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(nanos, TimeUnit.NANOSECONDS, VIRTUAL));
    }

    @Override
    public String toString() {
        return "realDelay()";
    }

    /** Throws {@link IllegalArgumentException} unless {@code d} is zero or positive. */
    static Duration checked(Duration d) {
        Objects.requireNonNull(d, "duration");
        if (d.isNegative()) {
            throw new IllegalArgumentException("a delay cannot be negative: " + d);
        }
        return d;
    }
}
