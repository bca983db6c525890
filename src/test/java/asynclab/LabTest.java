package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import asynclab.show.Notebook;
import asynclab.timeline.Timeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LabTest {
    @BeforeEach
    void textOnly() {
        Notebook.forceText(true);
    }

    @AfterEach
    void back() {
        Notebook.forceText(false);
    }

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
}
