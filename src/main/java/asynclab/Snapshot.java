package asynclab;

import java.util.Arrays;
import java.util.List;

/** A timeline frozen for drawing: bars in nanoseconds from the first start. */
record Snapshot(String title, List<Bar> bars, long total) {
    record Bar(String name, long start, long end, boolean running) {}

    /** The largest number of bars running at one moment; an end and a start at the same instant do not overlap. */
    int mostAtOnce() {
        int best = 0;
        for (int c : counts()) {
            best = Math.max(best, c);
        }
        return best;
    }

    /** Running count after each event, events sorted by time with ends before starts. */
    private int[] counts() {
        long[] events = events();
        int[] counts = new int[events.length];
        int running = 0;
        for (int i = 0; i < events.length; i++) {
            running += (events[i] & 1) == 1 ? 1 : -1;
            counts[i] = running;
        }
        return counts;
    }

    /** Each event as time*2 (+1 for a start), so that sorting puts ends before starts at equal times. */
    private long[] events() {
        long[] events = new long[bars.size() * 2];
        int i = 0;
        for (Bar b : bars) {
            events[i++] = b.start * 2 + 1;
            events[i++] = b.end * 2;
        }
        Arrays.sort(events);
        return events;
    }

    /**
     * How many bars were running in each of {@code buckets} equal slices of {@code [0, span]}:
     * the largest count seen in each slice.
     */
    int[] profile(int buckets, long span) {
        int[] out = new int[buckets];
        if (span <= 0) {
            return out;
        }
        long[] events = events();
        int running = 0;
        int e = 0;
        for (int k = 0; k < buckets; k++) {
            long from = span * k / buckets;
            long to = span * (k + 1) / buckets;
            // the count in force at the start of the slice
            while (e < events.length && events[e] / 2 < from) {
                running += (events[e] & 1) == 1 ? 1 : -1;
                e++;
            }
            int max = running;
            int r = running;
            int j = e;
            while (j < events.length && events[j] / 2 < to) {
                r += (events[j] & 1) == 1 ? 1 : -1;
                max = Math.max(max, r);
                j++;
            }
            out[k] = max;
        }
        return out;
    }

    String summary() {
        int n = bars.size();
        if (n == 0) {
            return "no tasks recorded";
        }
        int most = mostAtOnce();
        return "total " + Seconds.format(total) + " · " + n + (n == 1 ? " task" : " tasks") + " · at most " + most
                + " running at once";
    }
}
