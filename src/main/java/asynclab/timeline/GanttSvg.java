package asynclab.timeline;

import asynclab.show.Notebook;
import asynclab.show.Palette;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Draws snapshots as one SVG Gantt chart, stacked on a shared time axis. */
final class GanttSvg {
    private GanttSvg() {}

    static final int WIDTH = 640;
    private static final int PAD = 12;
    private static final int ROW = 22;
    private static final int BAR = 16;
    private static final int COMPACT_ROW = 17;
    private static final int COMPACT_BAR = 13;
    private static final int COMPACT_FROM = 12;   // more rows than this in all: draw them smaller
    private static final int SUMMARY_ROW = 40;
    private static final double CHAR = 6.2;   // rough width of one 11px sans-serif character

    static String render(List<Snapshot> panels) {
        long span = 1;
        for (Snapshot s : panels) {
            span = Math.max(span, s.total());
        }
        double plot = WIDTH - 2 * PAD;
        double scale = plot / span;
        Map<String, Integer> colours = new HashMap<>();
        String id = Notebook.newId("timeline");
        int rows = 0;
        for (Snapshot s : panels) {
            rows += Math.min(s.bars().size(), Timeline.MAX_ROWS);
        }
        boolean compact = rows > COMPACT_FROM;
        int row = compact ? COMPACT_ROW : ROW;

        StringBuilder body = new StringBuilder();
        StringBuilder desc = new StringBuilder("Gantt chart, time in seconds from left to right. ");
        int y = 8;
        int top = 0;
        for (Snapshot s : panels) {
            body.append(text(PAD, y + 14, "font-size=\"13\" font-weight=\"bold\"", s.title()));
            y += 22;
            if (top == 0) {
                top = y;
            }
            List<Snapshot.Bar> bars = s.bars();
            boolean summarise = bars.size() > Timeline.MAX_ROWS;
            int drawn = summarise ? Timeline.MAX_ROWS - 1 : bars.size();
            desc.append(s.title()).append(": ");
            for (int i = 0; i < drawn; i++) {
                Snapshot.Bar b = bars.get(i);
                int c = colours.computeIfAbsent(b.label(), k -> colours.size());
                bar(body, b, c, y, scale, compact);
                desc.append(b.label()).append(' ').append(num(b.start())).append('–').append(num(b.end())).append(" s")
                        .append(b.running() ? " (running)" : "").append(i + 1 < drawn ? ", " : "");
                y += row;
            }
            if (summarise) {
                int rest = bars.size() - drawn;
                summaryRow(body, s, y, span, plot);
                desc.append(" and ").append(rest).append(" more tasks");
                y += SUMMARY_ROW;
            }
            if (bars.isEmpty()) {
                body.append(text(PAD, y + 14, "fill=\"#555\"", "(no tasks recorded)"));
                y += ROW;
            }
            desc.append("; ").append(s.summary()).append(". ");
            body.append(text(PAD, y + 13, "fill=\"#333\"", s.summary()));
            y += 24;
        }
        // shared axis with light grid lines through every panel
        StringBuilder axis = new StringBuilder();
        double step = niceStep(span / 1e9);
        int axisY = y;
        axis.append("<path d=\"M").append(PAD).append(' ').append(axisY).append('H').append(WIDTH - PAD)
                .append("\" stroke=\"#444\"/>");
        for (int k = 0; k * step <= span / 1e9 + 1e-12; k++) {
            double x = PAD + k * step * 1e9 * scale;
            axis.append("<path d=\"M").append(fmt(x)).append(' ').append(top - 2).append('V').append(axisY + 4)
                    .append("\" stroke=\"#ddd\"/>");
            axis.append(text(x, axisY + 16, "text-anchor=\"middle\" fill=\"#333\"", tick(k * step, step)));
        }
        axis.append(text(WIDTH - PAD, axisY + 30, "text-anchor=\"end\" fill=\"#333\"", "seconds"));
        int height = axisY + 38;

        String title = panels.size() == 1 ? panels.get(0).title() : String.join(" vs ", panels.stream().map(Snapshot::title).toList());
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"" + id + "-t " + id + "-d\" width=\""
                + WIDTH + "\" height=\"" + height + "\" viewBox=\"0 0 " + WIDTH + " " + height
                + "\" font-family=\"sans-serif\" font-size=\"11\" style=\"background:#fff\">"
                + "<title id=\"" + id + "-t\">" + Palette.escape("Timeline: " + title) + "</title>"
                + "<desc id=\"" + id + "-d\">" + Palette.escape(desc.toString().trim()) + "</desc>"
                + axis + body + "</svg>";
    }

    private static void bar(StringBuilder out, Snapshot.Bar b, int colour, int y, double scale, boolean compact) {
        int height = compact ? COMPACT_BAR : BAR;
        double x = PAD + b.start() * scale;
        double w = Math.max(1.5, (b.end() - b.start()) * scale);
        out.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(y + 3).append("\" width=\"").append(fmt(w))
                .append("\" height=\"").append(height).append("\" rx=\"2\" fill=\"").append(Palette.colour(colour)).append('"');
        if (b.running()) {
            out.append(" fill-opacity=\"0.45\" stroke=\"#000\" stroke-dasharray=\"3 2\"");
        }
        out.append("/>");
        String label = b.label() + " " + num(b.end() - b.start()) + " s" + (b.running() ? " (running)" : "");
        double need = label.length() * CHAR * (compact ? 0.91 : 1) + 8;
        int baseline = y + (compact ? 13 : 15);
        String size = compact ? " font-size=\"10\"" : "";
        if (need <= w) {
            out.append(text(x + 4, baseline, "fill=\"" + Palette.ink(colour) + "\"" + size, label));
        } else if (x + w + need <= WIDTH - PAD + 4) {
            out.append(text(x + w + 4, baseline, size.strip(), label));
        } else {
            out.append(text(x - 4, baseline, ("text-anchor=\"end\"" + size), label));
        }
    }

    private static void summaryRow(StringBuilder out, Snapshot s, int y, long span, double plot) {
        int buckets = 160;
        int[] counts = s.profile(buckets, span);
        int peak = s.maxOverlap();
        double height = SUMMARY_ROW - 18;
        double base = y + SUMMARY_ROW - 4;
        StringBuilder d = new StringBuilder("M").append(PAD).append(' ').append(fmt(base));
        for (int k = 0; k < buckets; k++) {
            double x0 = PAD + plot * k / buckets;
            double x1 = PAD + plot * (k + 1) / buckets;
            double h = peak == 0 ? 0 : height * counts[k] / peak;
            d.append('V').append(fmt(base - h)).append('H').append(fmt(x1));
            if (x0 < 0) {
                break;
            }
        }
        d.append('V').append(fmt(base)).append('Z');
        out.append("<path d=\"").append(d).append("\" fill=\"#56B4E9\" fill-opacity=\"0.6\" stroke=\"#0072B2\"/>");
        int rest = s.bars().size() - (Timeline.MAX_ROWS - 1);
        out.append(text(PAD, y + 11, "font-style=\"italic\"",
                "+" + rest + " more tasks · all " + s.bars().size() + " tasks: number running at once (peak " + peak + ")"));
    }

    private static String text(double x, double y, String attrs, String content) {
        return "<text x=\"" + fmt(x) + "\" y=\"" + fmt(y) + "\"" + (attrs.isEmpty() ? "" : " " + attrs) + ">"
                + Palette.escape(content) + "</text>";
    }

    static double niceStep(double range) {
        if (range <= 0) {
            return 1;
        }
        double raw = range / 6;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * mag >= raw) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    private static String tick(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String num(long nanos) {
        return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
    }

    static String fmt(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
