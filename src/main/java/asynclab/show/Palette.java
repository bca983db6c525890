package asynclab.show;

import java.util.List;

/**
 * The colours every picture of the course uses: the Okabe–Ito palette, which readers with any
 * common colour-vision deficiency can tell apart, in an order that never puts red beside green.
 *
 * <p>Colour is never the only cue: pictures also label what they draw.
 */
public final class Palette {
    private Palette() {}

    /** Orange, sky blue, bluish green, blue, vermillion, reddish purple, yellow. */
    public static final List<String> OKABE_ITO =
            List.of("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442");

    /** The {@code i}-th colour, starting again after the last. */
    public static String colour(int i) {
        return OKABE_ITO.get(Math.floorMod(i, OKABE_ITO.size()));
    }

    /** Black or white, whichever reads better on the {@code i}-th colour. */
    public static String ink(int i) {
        return colour(i).equals("#0072B2") ? "#FFFFFF" : "#000000";
    }

    /** Escapes text for SVG or HTML content and attribute values. */
    public static String escape(String text) {
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
