package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ChartTest {
    private static Chart scale() {
        return Chart.titled("Time against tasks").x("tasks").y("seconds").logX()
                .series("platform threads", List.of(10, 100, 1000, 10_000), List.of(1.0, 1.02, 1.3, 4.8))
                .series("virtual threads", Map.of(10_000, 1.1, 10, 1.0, 100, 1.0, 1000, 1.01));
    }

    @Test
    void svgHasTitleDescLabelsAndOneLinePerSeries() {
        String svg = scale().svg();
        assertTrue(svg.contains("role=\"img\"") && svg.contains("<title id=") && svg.contains("<desc id="));
        assertTrue(svg.contains(">Time against tasks</title>"));
        assertTrue(svg.contains("Line chart of seconds against tasks (log scale)"));
        assertTrue(svg.contains(">platform threads</text>") && svg.contains(">virtual threads</text>"));
        assertTrue(svg.contains(">10000</text>"), "log ticks");
        for (int i = 0; i < 2; i++) {
            String line = "fill=\"none\" stroke=\"" + Palette.colour(i) + "\" stroke-width=\"2\"";
            assertEquals(1, Pattern.compile(Pattern.quote(line)).matcher(svg).results().count(), "one line for series " + i);
        }
        assertFalse(svg.contains("fill=\"none\" stroke=\"" + Palette.colour(2) + "\""), "no third line");
        assertTrue(svg.length() < 12_000, "size " + svg.length());
        System.out.printf("chart with 2 series of 4 points: svg %,d bytes%n", svg.length());
    }

    @Test
    void textIsATable() {
        String text = scale().text();
        assertEquals("""
                Time against tasks (seconds against tasks)
                tasks  platform threads  virtual threads
                10                    1                1
                100                1.02                1
                1000               1.30             1.01
                10000              4.80             1.10""", text);
    }

    @Test
    void showPrintsTheTableOutsideANotebook() throws Exception {
        Notebook.forceText(true);
        try {
            String out = Out.capture(() -> scale().show());
            assertTrue(out.startsWith("Time against tasks (seconds"), out);
        } finally {
            Notebook.forceText(false);
        }
    }

    @Test
    void badSeriesAreRefused() {
        Chart c = Chart.titled("t");
        assertThrows(IllegalArgumentException.class, () -> c.series("s", new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> c.series("s", new double[0], new double[0]));
        assertThrows(IllegalArgumentException.class, () -> c.series("s", new double[] {1}, new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> c.logX().series("s", new double[] {0}, new double[] {1}).svg());
        assertTrue(c.svg().contains("(no data)"));
    }

    @Test
    void aChartIsImmutable() {
        Chart base = Chart.titled("t");
        base.series("s", new double[] {1}, new double[] {1});
        assertEquals("Chart[t, 0 series]", base.toString());
    }

    @Test
    void linearAxesAndASinglePoint() {
        String svg = Chart.titled("one").series("s", new double[] {3}, new double[] {2}).svg();
        assertTrue(svg.contains("<circle"));
    }

    @Test
    void twoPicturesNeverShareAnId() {
        Pattern labelled = Pattern.compile("aria-labelledby=\"([^ \"]+)-t \\1-d\"");
        var first = labelled.matcher(scale().svg());
        var second = labelled.matcher(scale().svg());
        assertTrue(first.find() && second.find(), "labelled by its own title and desc");
        assertNotEquals(first.group(1), second.group(1));
    }
}
