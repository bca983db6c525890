package asynclab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A small line chart, such as time against number of tasks, drawn as an SVG in a notebook and as
 * a table of numbers anywhere else.
 *
 * {@snippet class=asynclab.ExamplesTest region=chart :
 * chart("Time to run n sleeping tasks")
 *     .x("tasks").y("seconds").logX()
 *     .series("platform threads", List.of(10, 100, 1000), List.of(1.0, 1.1, 4.2))
 *     .series("virtual threads", List.of(10, 100, 1000), List.of(1.0, 1.0, 1.0))
 *     .show();
 * }
 *
 * <p>Series are told apart by colour (Okabe–Ito), by marker shape and dash pattern, and by their
 * name written at the end of each line. A {@code Chart} is immutable: every method that sets
 * something returns a new chart.
 */
public final class Chart {
    private static final int W = 640;
    private static final int H = 360;
    private static final int LEFT = 60;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private static final int BOTTOM = 50;
    private static final String[] DASHES = {"", "6 3", "2 3", "8 3 2 3"};

    private record Series(String name, double[] xs, double[] ys) {}

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logX;
    private final List<Series> series;

    private Chart(String title, String xLabel, String yLabel, boolean logX, List<Series> series) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logX = logX;
        this.series = series;
    }

    /**
     * An empty chart with this title.
     *
     * <p>Notebooks say {@code chart(title)} ({@code Lab.chart}), which calls this; it is public
     * only because {@code Lab} lives in another package.
     */
    static Chart titled(String title) {
        return new Chart(Objects.requireNonNull(title, "title"), "x", "y", false, List.of());
    }

    /** The same chart with this label on the x axis. */
    public Chart x(String label) {
        return new Chart(title, Objects.requireNonNull(label, "label"), yLabel, logX, series);
    }

    /** The same chart with this label on the y axis. */
    public Chart y(String label) {
        return new Chart(title, xLabel, Objects.requireNonNull(label, "label"), logX, series);
    }

    /** The same chart with a logarithmic x axis, for counts such as 10, 100, 1000. */
    public Chart logX() {
        return new Chart(title, xLabel, yLabel, true, series);
    }

    /**
     * The same chart with one more line through the points {@code (xs[i], ys[i])}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, are empty or hold a value
     *     that is not finite
     */
    public Chart series(String name, double[] xs, double[] ys) {
        Objects.requireNonNull(name, "name");
        if (xs.length != ys.length || xs.length == 0) {
            throw new IllegalArgumentException("series \"" + name + "\" needs as many x as y values, at least one: got "
                    + xs.length + " and " + ys.length);
        }
        for (int i = 0; i < xs.length; i++) {
            if (!Double.isFinite(xs[i]) || !Double.isFinite(ys[i])) {
                throw new IllegalArgumentException("series \"" + name + "\" has a value that is not a finite number at " + i);
            }
        }
        List<Series> more = new ArrayList<>(series);
        more.add(new Series(name, xs.clone(), ys.clone()));
        return new Chart(title, xLabel, yLabel, logX, List.copyOf(more));
    }

    /** The same chart with one more line; see {@link #series(String, double[], double[])}. */
    public Chart series(String name, List<? extends Number> xs, List<? extends Number> ys) {
        return series(name, doubles(xs), doubles(ys));
    }

    /** The same chart with one more line through the map's points, in order of x. */
    public Chart series(String name, Map<? extends Number, ? extends Number> points) {
        TreeMap<Double, Double> sorted = new TreeMap<>();
        points.forEach((x, y) -> sorted.put(x.doubleValue(), y.doubleValue()));
        return series(name, new ArrayList<>(sorted.keySet()), new ArrayList<>(sorted.values()));
    }

    /** Draws the chart under the cell, or prints {@link #text()} outside a notebook. */
    public void show() {
        Notebook.showSvg(svg(), text());
    }

    /** The chart as a standalone {@code <svg>} element, with a {@code <title>} and {@code <desc>}. */
    public String svg() {
        if (logX) {
            for (Series s : series) {
                for (double x : s.xs) {
                    if (x <= 0) {
                        throw new IllegalArgumentException("a log x axis needs x > 0; series \"" + s.name + "\" has " + x);
                    }
                }
            }
        }
        double[] xr = range(true);
        double[] yr = range(false);
        double x0 = logX ? Math.log10(xr[0]) : xr[0];
        double x1 = logX ? Math.log10(xr[1]) : xr[1];
        if (logX) {
            x0 = Math.floor(x0);
            x1 = Math.max(Math.ceil(x1), x0 + 1);
        } else {
            double step = Svg.step(x1 - x0, 5);
            x0 = Math.floor(x0 / step) * step;
            x1 = Math.max(Math.ceil(x1 / step) * step, x0 + step);
        }
        double yStep = Svg.step(Math.max(yr[1], 1e-9), 5);
        double y1 = Math.max(Math.ceil(yr[1] / yStep) * yStep, yStep);
        double pw = W - LEFT - RIGHT;
        double ph = H - TOP - BOTTOM;
        double fx0 = x0;
        double fx1 = x1;
        java.util.function.DoubleUnaryOperator px = x -> LEFT + pw * ((logX ? Math.log10(x) : x) - fx0) / (fx1 - fx0);
        java.util.function.DoubleUnaryOperator py = y -> TOP + ph - ph * y / y1;

        StringBuilder g = new StringBuilder();
        g.append(Svg.text(W / 2.0 - RIGHT / 2.0, 22, "text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\"", title));
        // y grid and ticks
        for (double y = 0; y <= y1 + yStep / 2; y += yStep) {
            double yy = py.applyAsDouble(y);
            g.append(line(LEFT, yy, LEFT + pw, yy, "#ddd"));
            g.append(Svg.text(LEFT - 6, yy + 4, "text-anchor=\"end\"", Svg.tick(y, yStep)));
        }
        // x grid and ticks
        if (logX) {
            for (int e = (int) x0; e <= (int) x1; e++) {
                double xx = LEFT + pw * (e - x0) / (x1 - x0);
                g.append(line(xx, TOP, xx, TOP + ph, "#ddd"));
                g.append(Svg.text(xx, TOP + ph + 16, "text-anchor=\"middle\"", Svg.tick(Math.pow(10, e), 1)));
            }
        } else {
            double step = Svg.step(x1 - x0, 5);
            for (double x = x0; x <= x1 + step / 2; x += step) {
                double xx = px.applyAsDouble(x);
                g.append(line(xx, TOP, xx, TOP + ph, "#ddd"));
                g.append(Svg.text(xx, TOP + ph + 16, "text-anchor=\"middle\"", Svg.tick(x, step)));
            }
        }
        g.append("<path d=\"M").append(LEFT).append(' ').append(TOP).append("V").append(Svg.num(TOP + ph)).append("H")
                .append(Svg.num(LEFT + pw)).append("\" fill=\"none\" stroke=\"#444\"/>");
        g.append(Svg.text(LEFT + pw / 2, H - 12, "text-anchor=\"middle\"", xLabel + (logX ? " (log scale)" : "")));
        g.append(Svg.text(16, TOP + ph / 2, "text-anchor=\"middle\" transform=\"rotate(-90 16 " + Svg.num(TOP + ph / 2) + ")\"", yLabel));
        // series
        StringBuilder desc = new StringBuilder("Line chart of " + yLabel + " against " + xLabel + (logX ? " (log scale)" : "") + ". ");
        double lastLabelY = -100;
        List<double[]> ends = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            int[] order = order(s.xs);
            StringBuilder d = new StringBuilder();
            StringBuilder marks = new StringBuilder();
            desc.append(s.name).append(": ");
            for (int k = 0; k < order.length; k++) {
                int j = order[k];
                double xx = px.applyAsDouble(s.xs[j]);
                double yy = py.applyAsDouble(s.ys[j]);
                d.append(k == 0 ? "M" : "L").append(Svg.num(xx)).append(' ').append(Svg.num(yy));
                marks.append(marker(i, xx, yy));
                if (k < 12) {
                    desc.append(k == 0 ? "" : ", ").append(plain(s.xs[j])).append(" → ").append(plain(s.ys[j]));
                } else if (k == 12) {
                    desc.append(", …");
                }
            }
            desc.append(". ");
            String colour = Palette.colour(i);
            g.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(colour).append("\" stroke-width=\"2\"");
            if (!DASHES[i % DASHES.length].isEmpty()) {
                g.append(" stroke-dasharray=\"").append(DASHES[i % DASHES.length]).append('"');
            }
            g.append("/>");
            g.append("<g fill=\"").append(colour).append("\" stroke=\"#000\" stroke-width=\"0.6\">").append(marks).append("</g>");
            int last = order[order.length - 1];
            ends.add(new double[] {px.applyAsDouble(s.xs[last]), py.applyAsDouble(s.ys[last]), i});
        }
        // name at the end of each line, nudged apart vertically
        ends.sort((a, b) -> Double.compare(a[1], b[1]));
        for (double[] e : ends) {
            double y = Math.max(e[1] + 4, lastLabelY + 14);
            lastLabelY = y;
            int i = (int) e[2];
            String dash = DASHES[i % DASHES.length];
            g.append("<path d=\"M").append(Svg.num(LEFT + pw + 12)).append(' ').append(Svg.num(y - 4)).append("h18\" stroke=\"")
                    .append(Palette.colour(i)).append("\" stroke-width=\"2\"")
                    .append(dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"").append("/>");
            g.append("<g fill=\"").append(Palette.colour(i)).append("\" stroke=\"#000\" stroke-width=\"0.6\">")
                    .append(marker(i, LEFT + pw + 21, y - 4)).append("</g>");
            g.append(Svg.text(LEFT + pw + 34, y, "", series.get(i).name));
        }
        if (series.isEmpty()) {
            g.append(Svg.text(LEFT + pw / 2, TOP + ph / 2, "text-anchor=\"middle\" fill=\"#555\"", "(no data)"));
        }
        return Svg.document("chart", W, H, title, desc.toString(), g);
    }

    /** The chart as a table: one row per x value, one column per series. */
    public String text() {
        TreeMap<Double, String[]> rows = new TreeMap<>();
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            for (int k = 0; k < s.xs.length; k++) {
                rows.computeIfAbsent(s.xs[k], x -> new String[series.size()])[i] = plain(s.ys[k]);
            }
        }
        List<String> header = new ArrayList<>();
        header.add(xLabel);
        series.forEach(s -> header.add(s.name));
        int[] widths = new int[header.size()];
        for (int c = 0; c < header.size(); c++) {
            widths[c] = header.get(c).length();
        }
        List<String[]> table = new ArrayList<>();
        rows.forEach((x, ys) -> {
            String[] row = new String[header.size()];
            row[0] = plain(x);
            for (int c = 1; c < row.length; c++) {
                row[c] = ys[c - 1] == null ? "" : ys[c - 1];
            }
            table.add(row);
        });
        for (String[] row : table) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        StringBuilder out = new StringBuilder(title).append(" (").append(yLabel).append(" against ").append(xLabel).append(")\n");
        out.append(row(header.toArray(String[]::new), widths));
        for (String[] row : table) {
            out.append('\n').append(row(row, widths));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return "Chart[" + title + ", " + series.size() + " series]";
    }

    // ---------------------------------------------------------------------------------------------

    private static String row(String[] cells, int[] widths) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            String cell = cells[c];
            b.append(c == 0 ? cell + " ".repeat(widths[c] - cell.length()) : " ".repeat(widths[c] - cell.length()) + cell);
            if (c + 1 < cells.length) {
                b.append("  ");
            }
        }
        return b.toString().stripTrailing();
    }

    private double[] range(boolean x) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Series s : series) {
            for (double v : x ? s.xs : s.ys) {
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return x && logX ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (!x) {
            lo = Math.min(0, lo);
        }
        if (lo == hi) {
            hi = logX && x ? hi * 10 : hi + 1;
        }
        return new double[] {lo, hi};
    }

    private static int[] order(double[] xs) {
        Integer[] idx = new Integer[xs.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (a, b) -> Double.compare(xs[a], xs[b]));
        int[] out = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }

    private static String marker(int series, double x, double y) {
        return switch (series % 4) {
            case 0 -> "<circle cx=\"" + Svg.num(x) + "\" cy=\"" + Svg.num(y) + "\" r=\"3.5\"/>";
            case 1 -> "<rect x=\"" + Svg.num(x - 3.5) + "\" y=\"" + Svg.num(y - 3.5) + "\" width=\"7\" height=\"7\"/>";
            case 2 -> "<path d=\"M" + Svg.num(x) + " " + Svg.num(y - 4.5) + "L" + Svg.num(x + 4) + " " + Svg.num(y + 3) + "H" + Svg.num(x - 4) + "Z\"/>";
            default -> "<path d=\"M" + Svg.num(x) + " " + Svg.num(y - 4.5) + "L" + Svg.num(x + 4.5) + " " + Svg.num(y) + "L" + Svg.num(x) + " "
                    + Svg.num(y + 4.5) + "L" + Svg.num(x - 4.5) + " " + Svg.num(y) + "Z\"/>";
        };
    }

    private static String line(double x1, double y1, double x2, double y2, String colour) {
        return "<path d=\"M" + Svg.num(x1) + " " + Svg.num(y1) + "L" + Svg.num(x2) + " " + Svg.num(y2) + "\" stroke=\"" + colour + "\"/>";
    }




    private static String plain(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static double[] doubles(List<? extends Number> values) {
        double[] out = new double[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = Objects.requireNonNull(values.get(i), "a null value in a series").doubleValue();
        }
        return out;
    }

}
