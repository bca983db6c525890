package asynclab;

import java.util.HashMap;
import java.util.List;
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
            body.append(Svg.text(PAD, y + 14, "font-size=\"13\" font-weight=\"bold\"", s.title()));
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
                int c = colours.computeIfAbsent(b.name(), k -> colours.size());
                bar(body, b, c, y, scale, compact);
                desc.append(b.name()).append(' ').append(Seconds.range(b.start(), b.end()))
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
                body.append(Svg.text(PAD, y + 14, "fill=\"#555\"", "(no tasks recorded)"));
                y += ROW;
            }
            desc.append("; ").append(s.summary()).append(". ");
            body.append(Svg.text(PAD, y + 13, "fill=\"#333\"", s.summary()));
            y += 24;
        }
        // shared axis with light grid lines through every panel
        StringBuilder axis = new StringBuilder();
        double step = Svg.step(span / 1e9, 6);
        int axisY = y;
        axis.append("<path d=\"M").append(PAD).append(' ').append(axisY).append('H').append(WIDTH - PAD)
                .append("\" stroke=\"#444\"/>");
        for (int k = 0; k * step <= span / 1e9 + 1e-12; k++) {
            double x = PAD + k * step * 1e9 * scale;
            axis.append("<path d=\"M").append(Svg.num(x)).append(' ').append(top - 2).append('V').append(axisY + 4)
                    .append("\" stroke=\"#ddd\"/>");
            axis.append(Svg.text(x, axisY + 16, "text-anchor=\"middle\" fill=\"#333\"", Svg.tick(k * step, step)));
        }
        axis.append(Svg.text(WIDTH - PAD, axisY + 30, "text-anchor=\"end\" fill=\"#333\"", "seconds"));
        int height = axisY + 38;

        String title = panels.size() == 1 ? panels.get(0).title() : String.join(" vs ", panels.stream().map(Snapshot::title).toList());
        return Svg.document("timeline", WIDTH, height, "Timeline: " + title, desc.toString(), axis.append(body));
    }

    private static void bar(StringBuilder out, Snapshot.Bar b, int colour, int y, double scale, boolean compact) {
        int height = compact ? COMPACT_BAR : BAR;
        double x = PAD + b.start() * scale;
        double w = Math.max(1.5, (b.end() - b.start()) * scale);
        out.append("<rect x=\"").append(Svg.num(x)).append("\" y=\"").append(y + 3).append("\" width=\"").append(Svg.num(w))
                .append("\" height=\"").append(height).append("\" rx=\"2\" fill=\"").append(Palette.colour(colour)).append('"');
        if (b.running()) {
            out.append(" fill-opacity=\"0.45\" stroke=\"#000\" stroke-dasharray=\"3 2\"");
        }
        out.append("/>");
        String label = b.name() + " " + Seconds.format(b.end() - b.start()) + (b.running() ? " (running)" : "");
        double need = label.length() * CHAR * (compact ? 0.91 : 1) + 8;
        int baseline = y + (compact ? 13 : 15);
        String size = compact ? " font-size=\"10\"" : "";
        if (need <= w) {
            out.append(Svg.text(x + 4, baseline, "fill=\"" + Palette.ink(colour) + "\"" + size, label));
        } else if (x + w + need <= WIDTH - PAD + 4) {
            out.append(Svg.text(x + w + 4, baseline, size.strip(), label));
        } else {
            out.append(Svg.text(x - 4, baseline, ("text-anchor=\"end\"" + size), label));
        }
    }

    private static void summaryRow(StringBuilder out, Snapshot s, int y, long span, double plot) {
        int buckets = 160;
        int[] counts = s.profile(buckets, span);
        int peak = s.mostAtOnce();
        double height = SUMMARY_ROW - 18;
        double base = y + SUMMARY_ROW - 4;
        StringBuilder d = new StringBuilder("M").append(PAD).append(' ').append(Svg.num(base));
        for (int k = 0; k < buckets; k++) {
            double x1 = PAD + plot * (k + 1) / buckets;
            double h = peak == 0 ? 0 : height * counts[k] / peak;
            d.append('V').append(Svg.num(base - h)).append('H').append(Svg.num(x1));
        }
        d.append('V').append(Svg.num(base)).append('Z');
        out.append("<path d=\"").append(d).append("\" fill=\"#56B4E9\" fill-opacity=\"0.6\" stroke=\"#0072B2\"/>");
        int rest = s.bars().size() - (Timeline.MAX_ROWS - 1);
        out.append(Svg.text(PAD, y + 11, "font-style=\"italic\"",
                "+" + rest + " more tasks · all " + s.bars().size() + " tasks: number running at once (peak " + peak + ")"));
    }





}