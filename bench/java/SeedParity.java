import static asynclab.Lab.*;
import asynclab.Content;
import asynclab.Lab;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The guide's program in Java, through the course's helper jar: posts and albums (one second
 * each) loaded gathered, as tasks made from the list of names, and one after the other.
 * Prints the guide's line for each, with four decimals for the benchmark:
 * {@code java -cp build/bench:lib/asynclab.jar SeedParity [rounds]}.
 */
public final class SeedParity {
    static final Content content = content();

    static void gathered() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> posts = pool.submit(content::getPosts);
            Future<?> albums = pool.submit(content::getAlbums);
            posts.get();
            albums.get();
        }
    }

    static void asTasks() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> tasks = new ArrayList<>();
            for (String name : Content.NAMES) {
                tasks.add(pool.submit(() -> content.fetch(name)));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        }
    }

    static void sequential() {
        content.getPosts();
        content.getAlbums();
    }

    /** Runs the three ways {@code args[0]} times (once by default) in this one JVM. */
    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 1;
        for (int round = 0; round < rounds; round++) {
            report(Lab.measure(() -> { gathered(); return null; }).seconds());
            report(Lab.measure(() -> { asTasks(); return null; }).seconds());
            report(Lab.measure(() -> { sequential(); return null; }).seconds());
        }
    }

    static void report(double seconds) {
        System.out.println(String.format(Locale.ROOT, "Execution time: %.4f seconds.", seconds));
    }
}
