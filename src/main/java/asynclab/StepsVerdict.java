package asynclab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The verdict of {@link Check#runsInSteps}: a timeline whose tasks are exactly the named ones,
 * each once and finished, the tasks of each step all at once, each step after the one before.
 * A ✘ line says what the timeline shows (the tasks it has, with their times), not only what was
 * expected.
 */
final class StepsVerdict {
    private StepsVerdict() {}

    static String line(Check check, List<List<String>> steps, Work<Timeline> answer) {
        Objects.requireNonNull(steps, "steps");
        List<String> names = steps.stream().flatMap(List::stream).toList();
        if (names.isEmpty()) {
            throw new IllegalArgumentException("name at least one task");
        }
        Sandbox.Outcome<Timeline> out = Sandbox.run(answer, check.timeout(), Sandbox.Where.DAEMON);
        String wanted = "a timeline of " + quoted(names);
        if (out.problem() != null) {
            return check.fail("expected " + wanted + ", " + out.problem());
        }
        if (out.value() == null) {
            return check.fail("expected " + wanted + ", got null");
        }
        Timeline timeline = out.value();
        List<Timeline.Task> tasks = timeline.tasks();
        String problem = problem(steps, names, tasks);
        return problem == null ? check.pass() : check.fail(problem);
    }

    private static String problem(List<List<String>> steps, List<String> names, List<Timeline.Task> tasks) {
        if (tasks.isEmpty()) {
            return "expected tasks " + quoted(names) + ", got a timeline with no tasks at all";
        }
        Map<String, Long> counts = tasks.stream()
                .collect(Collectors.groupingBy(Timeline.Task::name, LinkedHashMap::new, Collectors.counting()));
        String has = "the timeline has " + describe(tasks);
        for (String name : names) {
            if (!counts.containsKey(name)) {
                return "expected a task called \"" + name + "\", got none by that name: " + has
                        + " (a task's name must be spelt exactly)";
            }
        }
        for (var e : counts.entrySet()) {
            if (e.getValue() > 1) {
                return "expected one task called \"" + e.getKey() + "\", got " + e.getValue() + ": " + has;
            }
            if (!names.contains(e.getKey())) {
                return "expected only " + quoted(names) + ", got also \"" + e.getKey() + "\": " + has;
            }
        }
        List<String> running = tasks.stream().filter(t -> t.end().isEmpty()).map(t -> "\"" + t.name() + "\"").toList();
        if (!running.isEmpty()) {
            return "expected every task finished when the answer returned, got " + String.join(" and ", running)
                    + " still running: " + has;
        }
        for (List<String> step : steps) {
            for (int i = 0; i < step.size(); i++) {
                for (int j = i + 1; j < step.size(); j++) {
                    Timeline.Task a = task(tasks, step.get(i));
                    Timeline.Task b = task(tasks, step.get(j));
                    if (!a.overlaps(b, Duration.ZERO)) {
                        return "expected \"" + a.name() + "\" and \"" + b.name() + "\" at the same time, got \""
                                + a.name() + "\" " + span(a) + " and \"" + b.name() + "\" " + span(b)
                                + ", one after the other";
                    }
                }
            }
        }
        for (int s = 1; s < steps.size(); s++) {
            for (String before : steps.get(s - 1)) {
                for (String after : steps.get(s)) {
                    Timeline.Task a = task(tasks, before);
                    Timeline.Task b = task(tasks, after);
                    if (b.start().compareTo(a.end().orElseThrow()) < 0) {
                        return "expected \"" + after + "\" to start after \"" + before + "\" ended, got \""
                                + after + "\" " + span(b) + ", started while \"" + before + "\" " + span(a)
                                + " was still running";
                    }
                }
            }
        }
        return null;
    }

    private static Timeline.Task task(List<Timeline.Task> tasks, String name) {
        Optional<Timeline.Task> t = tasks.stream().filter(x -> x.name().equals(name)).findFirst();
        return t.orElseThrow();
    }

    /** {@code "game console" 0.00–1.00 s, "fitting room" 1.00–2.50 s (running)}, at most eight. */
    static String describe(List<Timeline.Task> tasks) {
        List<String> parts = new ArrayList<>();
        for (Timeline.Task t : tasks.subList(0, Math.min(8, tasks.size()))) {
            parts.add("\"" + t.name() + "\" " + span(t));
        }
        String more = tasks.size() > 8 ? " and " + (tasks.size() - 8) + " more" : "";
        return String.join(", ", parts) + more;
    }

    private static String span(Timeline.Task t) {
        String start = String.format(Locale.ROOT, "%.2f", t.start().toNanos() / 1e9);
        return t.end().map(e -> start + String.format(Locale.ROOT, "–%.2f s", e.toNanos() / 1e9))
                .orElse("from " + start + " s, still running");
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(", "));
    }
}
