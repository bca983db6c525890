package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Javadoc examples that name a region of a test ({@code {@snippet class=... region=... :}}, a
 * "hybrid" snippet) show the code that test compiles and runs, line for line. {@code javadoc
 * --snippet-path src/test/java} checks the same; this test needs no javadoc run.
 */
class SnippetsTest {
    private static final Path MAIN = Path.of("src/main/java");
    private static final Path TESTS = Path.of("src/test/java");
    private static final Pattern HYBRID = Pattern.compile("\\{@snippet class=([\\w.]+) region=(\\w+) :");

    @Test
    void everyHybridSnippetMatchesItsRegionInATest() throws IOException {
        int checked = 0;
        List<Path> sources;
        try (Stream<Path> files = Files.walk(MAIN)) {
            sources = files.filter(p -> p.toString().endsWith(".java")).toList();
        }
        for (Path source : sources) {
            List<String> lines = Files.readAllLines(source);
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = HYBRID.matcher(lines.get(i));
                if (!m.find()) {
                    continue;
                }
                List<String> inline = new ArrayList<>();
                int depth = 1;              // the tag ends at the brace that balances "{@snippet"
                for (int j = i + 1; ; j++) {
                    String text = lines.get(j).replaceFirst("^\\s*\\* ?", "");
                    depth += text.chars().filter(c -> c == '{').count() - text.chars().filter(c -> c == '}').count();
                    if (depth == 0) {
                        break;
                    }
                    inline.add(text);
                }
                Path test = TESTS.resolve(m.group(1).replace('.', '/') + ".java");
                String where = source + ":" + (i + 1) + " against " + test + " region " + m.group(2);
                assertEquals(dedent(region(Files.readAllLines(test), m.group(2))), dedent(inline), where);
                checked++;
            }
        }
        assertTrue(checked >= 12, "hybrid snippets found: " + checked);
    }

    @Test
    void noJavadocExampleIsWrittenOnlyInTheComment() throws IOException {
        List<String> inline = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path source : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                List<String> lines = Files.readAllLines(source);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).contains("{@snippet") && !HYBRID.matcher(lines.get(i)).find()) {
                        inline.add(source + ":" + (i + 1));
                    }
                }
            }
        }
        assertEquals(List.of(), inline, "inline snippets go stale: take them from a test region");
    }

    private static List<String> region(List<String> lines, String name) {
        List<String> out = new ArrayList<>();
        boolean in = false;
        for (String line : lines) {
            if (line.matches(".*//.* @start region=" + name + "\\s*")) {
                in = true;           // javadoc drops the markup, and the comment if nothing else is in it
                out.add(line.replaceFirst("\\s*(//)?\\s*@start region=" + name + "\\s*$", ""));
            } else if (in && line.strip().equals("// @end")) {
                return out;
            } else if (in) {
                out.add(line);
            }
        }
        assertFalse(out.isEmpty(), "no region " + name);
        return out;
    }

    private static List<String> dedent(List<String> lines) {
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isBlank()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return lines.stream().map(l -> l.isBlank() ? "" : l.substring(indent).stripTrailing()).toList();
    }
}
