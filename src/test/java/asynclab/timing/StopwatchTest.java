package asynclab.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asynclab.Out;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StopwatchTest {
    @Test
    void linePrintsTwoDecimalsLikeTheGuide() {
        assertEquals("Execution time: 1.00 seconds.", Stopwatch.line(Duration.ofMillis(1001)));
        assertEquals("Execution time: 2.01 seconds.", Stopwatch.line(Duration.ofMillis(2006)));
        assertEquals("Execution time: 0.00 seconds.", Stopwatch.line(Duration.ZERO));
    }

    @Test
    void measureKeepsValueAndTime() {
        Timed<String> t = Stopwatch.measure(() -> {
            Thread.sleep(30);
            return "done";
        });
        assertEquals("done", t.value());
        assertTrue(t.seconds() >= 0.03 && t.seconds() < 1, "took " + t.seconds());
        assertEquals(Stopwatch.line(t.elapsed()), t.line());
        assertEquals("done in 1.50 s", new Timed<>("done", Duration.ofMillis(1500)).toString());
    }

    @Test
    void aNullValueIsFine() {
        assertNull(Stopwatch.measure(() -> null).value());
    }

    @Test
    void checkedExceptionsComeOutWrapped() {
        var e = assertThrows(CompletionException.class, () -> Stopwatch.measure(() -> {
            throw new IOException("disk");
        }));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void uncheckedExceptionsComeOutAsTheyAre() {
        var boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Stopwatch.time(() -> {
            throw boom;
        })));
    }

    @Test
    void nothingIsPrintedWhenTheBlockThrows() throws Exception {
        String out = Out.capture(() -> assertThrows(CompletionException.class, () -> Stopwatch.time(() -> {
            throw new Exception("x");
        })));
        assertEquals("", out);
    }

    @Test
    void anInterruptedBlockKeepsTheFlag() {
        assertThrows(CompletionException.class, () -> Stopwatch.measure(() -> {
            throw new InterruptedException();
        }));
        assertTrue(Thread.interrupted(), "interrupt flag restored");
    }
}
