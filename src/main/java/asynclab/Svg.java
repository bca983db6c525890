package asynclab;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pieces every picture of the course is built from: an accessible {@code <svg>} root, text,
 * numbers written compactly, and axis steps that land on 1, 2 or 5 times a power of ten.
 *
 * <p>{@link Chart} and the timeline's Gantt chart both draw with these, so their pictures share
 * one look and one way of being read aloud: each root has {@code role="img"} and is labelled by
 * its own {@code <title>} and {@code <desc>}, whose ids are fresh for every picture, because
 * several pictures on one notebook page must never share an {@code id} (a screen reader would
 * read the first picture's title for all of them).
 */
final class Svg {
    private Svg() {}

    private static final AtomicLong IDS = new AtomicLong();

    /**
     * A complete {@code <svg>} element of the given size, white, in 11px sans-serif, with
     * {@code title} and {@code desc} escaped and {@code body} as it is.
     */
    static String document(String kind, int width, int height, String title, String desc, CharSequence body) {
        String id = kind + "-" + Long.toString(System.nanoTime() & 0xffffff, 36) + "-" + IDS.incrementAndGet();
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"" + id + "-t " + id + "-d\" width=\""
                + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " " + height
                + "\" font-family=\"sans-serif\" font-size=\"11\" style=\"background:#fff\">"
                + "<title id=\"" + id + "-t\">" + escape(title) + "</title>"
                + "<desc id=\"" + id + "-d\">" + escape(desc.strip()) + "</desc>" + body + "</svg>";
    }

    /** A {@code <text>} element at (x, y) with extra attributes (may be empty) and escaped content. */
    static String text(double x, double y, String attrs, String content) {
        return "<text x=\"" + num(x) + "\" y=\"" + num(y) + "\"" + (attrs.isEmpty() ? "" : " " + attrs) + ">"
                + escape(content) + "</text>";
    }

    /** A coordinate: whole numbers without decimals, others with one ({@code 12}, {@code 12.5}). */
    static String num(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    /**
     * The distance between axis ticks for about {@code ticks} ticks across {@code range}: 1, 2 or 5
     * times a power of ten, and 1 for an empty range.
     */
    static double step(double range, int ticks) {
        if (range <= 0) {
            return 1;
        }
        double raw = range / ticks;
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double m : new double[] {1, 2, 5}) {
            if (m * mag >= raw * 0.999) {
                return m * mag;
            }
        }
        return 10 * mag;
    }

    /** A tick label with as many decimals as the step needs: {@code 0.25} for step 0.05, {@code 3} for step 1. */
    static String tick(double value, double step) {
        int decimals = step >= 1 ? 0 : (int) Math.ceil(-Math.log10(step) - 1e-9);
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** Escapes text for SVG or HTML content and attribute values; control characters become spaces. */
    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return out.toString();
    }
}
