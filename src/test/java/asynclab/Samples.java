package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/** Test classes for {@link TestRunTest} to run; named so that the class path scan skips them. */
final class Samples {
    private Samples() {}

    static class Mixed {
        @Test
        void passes() {
            assertEquals(1, 1);
        }

        @Test
        void fails() {
            assertEquals(1, 2, "one is not two");
        }

        @Test
        void throwsSomething() {
            throw new IllegalStateException("bad\nstate");
        }

        @Disabled("not today")
        @Test
        void skipped() {
        }
    }

    static class Slow {
        @Test
        void sleepsTooLong() throws InterruptedException {
            Thread.sleep(10_000);
        }
    }

    static class NoTests {
        void notATest() {
        }
    }

    static class BrokenSetup {
        @BeforeAll
        static void setUp() {
            throw new IllegalStateException("no database");
        }

        @Test
        void never() {
        }
    }

    /** Spins until {@link #STOP} is set, ignoring interrupts. */
    static final java.util.concurrent.atomic.AtomicBoolean STOP = new java.util.concurrent.atomic.AtomicBoolean();

    static class Deaf {
        @Test
        void ignoresInterrupts() {
            while (!STOP.get()) {
                Thread.onSpinWait();
            }
        }

        @Test
        void afterIt() {
            assertEquals(1, 1);
        }
    }
}
