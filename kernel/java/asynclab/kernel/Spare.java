package asynclab.kernel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import jdk.jshell.JShell;
import org.dflib.jjava.distro.JJava;

/**
 * Starts JJava, either at once or as a spare: a JVM that gets ready before it knows which kernel
 * it will be.
 *
 * <p>{@code Spare CONNECTION_FILE} builds and starts the course's kernel as JJava's {@code main}
 * does ({@link Kernel}, {@link CourseKernel}: JJava's kernel with late output, kept variables and
 * compile-error hints) and connects it. {@code Spare --spare} first runs a few snippets in a
 * throwaway JShell (javac's classes loaded, its hot code compiled), then builds the kernel the
 * same way, then waits for one line on standard input, the path of a connection file, and
 * connects the kernel to it. The provisioner in {@code kernel/python/asynclab_kernel} keeps
 * one spare per Jupyter server and hands it the next kernel the server starts.
 *
 * <p>The throwaway JShell shares nothing with the kernel's: no snippet, import or variable of the
 * warm-up is visible in the notebook. If standard input ends before a line arrives (the server
 * that started the spare exited), the spare exits. If this JJava is not the one {@link Kernel}
 * was written for, the kernel is JJava's own: its {@code main} runs once the file is known.
 */
public final class Spare {
    private static final String[] WARM_UP = {
        "1 + 1",
        "class Shop { int fetch(int id) { return id; } }",
        "var shop = new Shop();",
        "java.util.concurrent.CompletableFuture.supplyAsync(() -> shop.fetch(2)).join()",
        "for (int i = 0; i < 3; i++) { String s = \"\" + i; }",
    };

    private Spare() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            JJava.main(args);
            return;
        }
        boolean spare = args[0].equals("--spare");
        Outputs.INSTANCE.install();           // first, so every thread created later has a home
        if (spare) {
            warmUp();
        }
        Kernel kernel = Kernel.startOrNull();
        String connectionFile = spare ? readLine() : args[0];
        if (connectionFile == null) {
            System.exit(0);                   // nobody will hand this spare a kernel
        }
        if (kernel != null) {
            kernel.connect(connectionFile);
        } else {
            JJava.main(new String[] {connectionFile});
        }
    }

    private static void warmUp() {
        PrintStream silent = new PrintStream(OutputStream.nullOutputStream());
        try (JShell shell = JShell.builder().executionEngine("local").out(silent).err(silent).build()) {
            for (String snippet : WARM_UP) {
                shell.sourceCodeAnalysis().analyzeCompletion(snippet);
                shell.eval(snippet);
            }
        }
    }

    /** One line from standard input, read a byte at a time so nothing after it is consumed. */
    private static String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = System.in.read(); b != '\n'; b = System.in.read()) {
            if (b < 0) {
                return null;
            }
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }
}
