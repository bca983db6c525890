package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class TimedTest {
    @Test
    void linePrintsTwoDecimalsLikeTheGuide() {
        assertEquals("Execution time: 1.00 seconds.", Seconds.line(Duration.ofMillis(1001)));
        assertEquals("Execution time: 2.01 seconds.", Seconds.line(Duration.ofMillis(2006)));
        assertEquals("Execution time: 0.00 seconds.", Seconds.line(Duration.ZERO));
    }

    @Test
    void everyTimeIsWrittenOneWay() {
        assertEquals("1.00 s", Seconds.format(Duration.ofSeconds(1)));
        assertEquals("1.00 s", Seconds.format(995_000_000L));
        assertEquals("0.99 s", Seconds.format(994_000_000L));
        assertEquals("0.25–1.00 s", Seconds.range(250_000_000L, 1_000_000_000L));
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.GERMANY);
            assertEquals("1.50 s", Seconds.format(Duration.ofMillis(1500)), "a decimal point whatever the locale");
        } finally {
            Locale.setDefault(before);
        }
    }

    @Test
    void measureKeepsValueAndTime() {
        Timed<String> t = Lab.measure(() -> {
            Thread.sleep(30);
            return "done";
        });
        assertEquals("done", t.value());
        assertTrue(t.seconds() >= 0.03 && t.seconds() < 1, "took " + t.seconds());
        assertEquals(Seconds.line(t.elapsed()), t.line());
        assertEquals("done in 1.50 s", new Timed<>("done", Duration.ofMillis(1500)).toString());
    }

    @Test
    void aNullValueIsFine() {
        assertNull(Lab.measure(() -> null).value());
    }

    @Test
    void checkedExceptionsComeOutWrapped() {
        var e = assertThrows(CompletionException.class, () -> Lab.measure(() -> {
            throw new IOException("disk");
        }));
        assertInstanceOf(IOException.class, e.getCause());
    }

    @Test
    void uncheckedExceptionsComeOutAsTheyAre() {
        var boom = new IllegalStateException("boom");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> Lab.time(() -> {
            throw boom;
        })));
    }

    @Test
    void nothingIsPrintedWhenTheBlockThrows() throws Exception {
        String out = Out.capture(() -> assertThrows(CompletionException.class, () -> Lab.time(() -> {
            throw new Exception("x");
        })));
        assertEquals("", out);
    }

    @Test
    void anInterruptedBlockKeepsTheFlag() {
        assertThrows(CompletionException.class, () -> Lab.measure(() -> {
            throw new InterruptedException();
        }));
        assertTrue(Thread.interrupted(), "interrupt flag restored");
    }
}
