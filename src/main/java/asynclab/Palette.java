package asynclab;

import java.util.List;

/**
 * The colours every picture of the course uses: the Okabe–Ito palette, which readers with any
 * common colour-vision deficiency can tell apart, in an order that never puts red beside green.
 *
 * <p>Colour is never the only cue: pictures also label what they draw. {@link Chart} and the
 * timeline's Gantt chart take their colours from here, so one series or task keeps one colour.
 */
final class Palette {
    private Palette() {}

    /** Orange, sky blue, bluish green, blue, vermillion, reddish purple, yellow. */
    static final List<String> OKABE_ITO =
            List.of("#E69F00", "#56B4E9", "#009E73", "#0072B2", "#D55E00", "#CC79A7", "#F0E442");

    /** The {@code i}-th colour, starting again after the last. */
    static String colour(int i) {
        return OKABE_ITO.get(Math.floorMod(i, OKABE_ITO.size()));
    }

    /** Black or white, whichever reads better on the {@code i}-th colour. */
    static String ink(int i) {
        return colour(i).equals("#0072B2") ? "#FFFFFF" : "#000000";
    }
}
