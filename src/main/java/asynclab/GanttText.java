package asynclab;

import java.util.List;

/** Draws snapshots as characters: one line per task on a shared 40-column time axis. */
final class GanttText {
    private GanttText() {}

    private static final int COLUMNS = 40;
    private static final String LEVELS = " ▁▂▃▄▅▆▇█";

    static String render(List<Snapshot> panels) {
        long span = 1;
        int width = 8;
        for (Snapshot s : panels) {
            span = Math.max(span, s.total());
            for (Snapshot.Bar b : s.bars().subList(0, Math.min(s.bars().size(), Timeline.MAX_ROWS))) {
                width = Math.max(width, Math.min(16, b.name().length()));
            }
        }
        StringBuilder out = new StringBuilder();
        for (Snapshot s : panels) {
            out.append(s.title()).append(" — ").append(s.summary()).append('\n');
            List<Snapshot.Bar> bars = s.bars();
            boolean summarise = bars.size() > Timeline.MAX_ROWS;
            int drawn = summarise ? Timeline.MAX_ROWS - 1 : bars.size();
            for (int i = 0; i < drawn; i++) {
                Snapshot.Bar b = bars.get(i);
                int from = (int) Math.min(COLUMNS - 1, b.start() * COLUMNS / span);
                int to = (int) Math.max(from + 1, Math.min(COLUMNS, (b.end() * COLUMNS + span - 1) / span));
                char fill = b.running() ? '▒' : '█';
                out.append("  ").append(pad(b.name(), width)).append(" |")
                        .append(" ".repeat(from)).append(String.valueOf(fill).repeat(to - from))
                        .append(" ".repeat(COLUMNS - to)).append("| ")
                        .append(Seconds.range(b.start(), b.end()))
                        .append(b.running() ? " (running)" : "").append('\n');
            }
            if (summarise) {
                int[] counts = s.profile(COLUMNS, span);
                int peak = Math.max(1, s.mostAtOnce());
                StringBuilder line = new StringBuilder();
                for (int c : counts) {
                    line.append(LEVELS.charAt(c == 0 ? 0 : Math.max(1, (int) Math.round(8.0 * c / peak))));
                }
                out.append("  ").append(pad("at once", width)).append(" |").append(line).append("| peak ")
                        .append(s.mostAtOnce()).append(" (").append(bars.size() - drawn).append(" more tasks not drawn)\n");
            }
        }
        out.append("  ").append(" ".repeat(width)).append("  0 s").append(" ".repeat(COLUMNS - 4))
                .append(Seconds.format(span));
        return out.toString();
    }

    private static String pad(String label, int width) {
        String l = label.length() > width ? label.substring(0, width - 1) + "…" : label;
        return l + " ".repeat(width - l.length());
    }
}
