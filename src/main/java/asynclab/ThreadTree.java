package asynclab;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Lays out the chosen threads of a dump as a tree of containers, drawn as text or SVG. */
final class ThreadTree {
    /** One line of the tree: a container or a thread, at a depth, with its branch marks. */
    private record Row(int depth, String prefix, ThreadDump.Container container, ThreadDump.Entry thread) {}

    private final ThreadDump dump;
    private final List<Row> rows = new ArrayList<>();
    private final int shown;
    private final int hidden;
    private final long virtual;
    private final long scopes;

    private ThreadTree(ThreadDump dump, List<ThreadDump.Entry> chosen) {
        this.dump = dump;
        Map<String, ThreadDump.Container> byName = dump.byName();
        Set<Long> ids = new LinkedHashSet<>();
        chosen.forEach(t -> ids.add(t.id()));
        Set<String> wanted = new LinkedHashSet<>();
        for (ThreadDump.Entry t : chosen) {
            for (String c = t.container(); c != null && wanted.add(c); ) {
                ThreadDump.Container up = byName.get(c);
                c = up == null ? null : up.parent();
            }
        }
        this.shown = ids.size();
        this.hidden = dump.threads().size() - shown;
        this.virtual = chosen.stream().filter(ThreadDump.Entry::virtual).count();
        this.scopes = wanted.stream().map(byName::get).filter(c -> c != null && c.scope()).count();
        for (ThreadDump.Container c : dump.containers()) {
            if (c.parent() == null || !byName.containsKey(c.parent())) {
                if (wanted.contains(c.name())) {
                    add(c, 0, "", "", wanted, ids);
                }
            }
        }
    }

    static ThreadTree of(ThreadDump dump, List<ThreadDump.Entry> chosen) {
        return new ThreadTree(dump, chosen);
    }

    private void add(ThreadDump.Container c, int depth, String mark, String indent, Set<String> wanted, Set<Long> ids) {
        rows.add(new Row(depth, mark, c, null));
        List<Object> children = new ArrayList<>();
        c.threads().stream().filter(t -> ids.contains(t.id())).forEach(children::add);
        dump.containers().stream().filter(k -> c.name().equals(k.parent()) && wanted.contains(k.name()))
                .forEach(children::add);
        for (int i = 0; i < children.size(); i++) {
            boolean last = i == children.size() - 1;
            String branch = indent + (last ? "└─ " : "├─ ");
            String next = indent + (last ? "   " : "│  ");
            if (children.get(i) instanceof ThreadDump.Entry t) {
                rows.add(new Row(depth + 1, branch, null, t));
            } else {
                add((ThreadDump.Container) children.get(i), depth + 1, branch, next, wanted, ids);
            }
        }
    }

    private String heading() {
        return "Thread dump of process " + dump.processId() + " (Java " + dump.runtimeVersion() + "): "
                + shown + " shown (" + virtual + " virtual), " + scopes + (scopes == 1 ? " scope" : " scopes")
                + "; " + hidden + " other threads not shown";
    }

    private String containerLine(ThreadDump.Container c) {
        if (c.parent() == null) {
            return c.label();
        }
        if (c.scope()) {
            String owner = dump.threads().stream().filter(t -> t.id() == c.owner()).map(ThreadDump.Entry::label)
                    .findFirst().orElse("#" + c.owner());
            return "scope " + c.label() + " (opened by " + owner + ")";
        }
        return c.label();
    }

    private static String threadLine(ThreadDump.Entry t) {
        return t.label() + "  " + (t.virtual() ? "virtual" : "platform") + "  " + t.state()
                + (t.waitsOn().isEmpty() ? "" : "  " + t.waitsOn())
                + (t.at().isEmpty() ? "" : "  at " + t.at());
    }

    String text() {
        StringBuilder out = new StringBuilder(heading()).append('\n');
        for (Row r : rows) {
            out.append(r.prefix()).append(r.thread() != null ? threadLine(r.thread()) : containerLine(r.container()))
                    .append('\n');
        }
        return out.toString().stripTrailing();
    }

    String svg() {
        int rowHeight = 20;
        int top = 34;
        int width = width();
        int height = top + rows.size() * rowHeight + 10;
        StringBuilder body = new StringBuilder();
        body.append(Svg.text(8, 18, "font-weight=\"bold\"", heading()));
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            double y = top + i * rowHeight;
            double x = 12 + r.depth() * 22;
            if (r.depth() > 0) {
                double px = 12 + (r.depth() - 1) * 22 + 6;
                body.append("<path d=\"M").append(Svg.num(px)).append(' ').append(Svg.num(y - 8)).append(" V")
                        .append(Svg.num(y + 6)).append(" H").append(Svg.num(x - 2))
                        .append("\" fill=\"none\" stroke=\"#999\"/>");
            }
            if (r.thread() == null) {
                ThreadDump.Container c = r.container();
                String fill = c.scope() ? "#E8F4FB" : "#F2F2F2";
                String label = containerLine(c);
                body.append("<rect x=\"").append(Svg.num(x)).append("\" y=\"").append(Svg.num(y - 1))
                        .append("\" width=\"").append(Svg.num(14 + label.length() * 6.6))
                        .append("\" height=\"16\" rx=\"3\" fill=\"").append(fill).append("\" stroke=\"")
                        .append(c.scope() ? Palette.colour(3) : "#999").append("\"/>");
                body.append(Svg.text(x + 6, y + 11, c.scope() ? "font-weight=\"bold\"" : "", label));
            } else {
                ThreadDump.Entry t = r.thread();
                int colour = stateColour(t.state());
                body.append("<rect x=\"").append(Svg.num(x)).append("\" y=\"").append(Svg.num(y))
                        .append("\" width=\"104\" height=\"14\" rx=\"7\" fill=\"").append(Palette.colour(colour))
                        .append("\"/>");
                body.append(Svg.text(x + 52, y + 11, "text-anchor=\"middle\" font-size=\"9\" fill=\""
                        + Palette.ink(colour) + "\"", t.state()));
                String rest = (t.virtual() ? "virtual" : "platform")
                        + (t.waitsOn().isEmpty() ? "" : " · waits in " + t.waitsOn())
                        + (t.at().isEmpty() ? "" : " · at " + t.at());
                body.append(Svg.text(x + 112, y + 11, "font-weight=\"bold\"", t.label()));
                body.append(Svg.text(x + 112 + 8 + t.label().length() * 6.6, y + 11, "fill=\"#333\"", rest));
            }
        }
        return Svg.document("threads", width, height, "Thread dump: tasks and their containers", text(), body);
    }

    /** Wide enough for the longest line, at about 6.6 px per character of 11 px sans-serif. */
    private int width() {
        double widest = 16 + heading().length() * 6.6;
        for (Row r : rows) {
            double x = 12 + r.depth() * 22;
            double end = r.thread() == null ? x + 14 + containerLine(r.container()).length() * 6.6
                    : x + 128 + threadLine(r.thread()).length() * 6.6;
            widest = Math.max(widest, end);
        }
        return (int) Math.ceil(Math.max(480, widest + 8));
    }

    /** Waiting states in blue tones, running in green, blocked in vermillion. */
    private static int stateColour(String state) {
        return switch (state) {
            case "RUNNABLE" -> 2;
            case "BLOCKED" -> 4;
            case "WAITING" -> 3;
            case "TIMED_WAITING" -> 1;
            default -> 6;
        };
    }
}
