package asynclab.timing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class StopwatchTest {
    @Test
    void linePrintsTwoDecimalsLikeTheGuide() {
        assertEquals("Execution time: 1.00 seconds.", Stopwatch.line(Duration.ofMillis(1001)));
        assertEquals("Execution time: 2.01 seconds.", Stopwatch.line(Duration.ofMillis(2006)));
    }
}
