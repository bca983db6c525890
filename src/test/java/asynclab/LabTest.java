package asynclab;

import static asynclab.Lab.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TextOnly.class)
class LabTest {
    @Test
    void timePrintsTheGuidesLine() throws Exception {
        String out = Out.capture(() -> Lab.time(() -> Thread.sleep(50)));
        assertTrue(out.matches("Execution time: 0\\.\\d\\d seconds\\.\\R"), out);
    }

    @Test
    void timeWithALabel() throws Exception {
        String out = Out.capture(() -> Lab.time("gathered", () -> { }));
        assertTrue(out.startsWith("gathered: Execution time: 0.0"), out);
    }

    @Test
    void measurePrintsNothingAndKeepsTheValue() throws Exception {
        String out = Out.capture(() -> assertEquals("x", Lab.measure(() -> "x").value()));
        assertEquals("", out);
    }

    @Test
    void showOfTwoTimelinesPrintsBothOutsideANotebook() throws Exception {
        Timeline a = Lab.timeline("A");
        Timeline b = Lab.timeline("B");
        a.track("one", () -> 1);
        b.track("two", () -> 2);
        String out = Out.capture(() -> Lab.show(a, b));
        assertTrue(out.contains("A — ") && out.contains("B — ") && out.contains("one") && out.contains("two"), out);
    }

    @Test
    void showWithNothingToDrawSaysSo() {
        var e = assertThrows(IllegalArgumentException.class, Lab::show);
        assertEquals("no timeline to draw", e.getMessage());
    }

    @Test
    void everythingALessonStartsFromComesFromLab() throws Exception {
        String out = Out.capture(() -> {
            var clock = virtualClock();                  // time that passes when told to @start region=example
            var content = content(clock);                // the guide's data source on it
            var both = content.getPostsAsync().thenCombine(content.getAlbumsAsync(), List::of);
            clock.runUntilIdle();                         // one virtual second, at once
            check("both arrive").expect(2, () -> both.join().size());
            var errands = errands(Duration.ofMillis(100)); // fakes that record what ran when
            check("at once").runsAtOnce(errands, () -> {
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    pool.submit(errands.supplier("posts")::get);
                    pool.submit(errands.supplier("albums")::get);
                }
            });
            // @end
        });
        assertTrue(out.replace("\r", "").matches("✔ both arrive — well done!\n✔ at once \\(2 at once, 0\\.1\\d s\\) — well done!\n"), out);
    }
}
