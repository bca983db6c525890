package asynclab.kernel;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.dflib.jjava.distro.JJava;
import org.dflib.jjava.jupyter.channels.JupyterConnection;
import org.dflib.jjava.jupyter.kernel.KernelConnectionProperties;
import org.dflib.jjava.kernel.magics.ClasspathMagic;
import org.dflib.jjava.kernel.magics.JarsMagic;
import org.dflib.jjava.kernel.magics.LoadMagic;
import org.dflib.jjava.kernel.magics.TimeMagic;
import org.dflib.jjava.maven.MavenDependencyResolver;
import org.dflib.jjava.maven.magics.AddMavenDependencyMagic;
import org.dflib.jjava.maven.magics.LoadFromPomCellMagic;
import org.dflib.jjava.maven.magics.LoadFromPomLineMagic;
import org.dflib.jjava.maven.magics.MavenMagic;
import org.dflib.jjava.maven.magics.MavenRepoMagic;

/**
 * The course's kernel ({@link CourseKernel}, JJava's with the course's additions) built and
 * started before its connection file exists: the steps of {@code org.dflib.jjava.distro.JJava.main}
 * (jjava 1.0a8, the version requirements.txt pins), in its order, with the connection made last.
 *
 * <p>The settings JJava reads from the environment (JJAVA_COMPILER_OPTS, JJAVA_TIMEOUT,
 * JJAVA_CLASSPATH, JJAVA_STARTUP_SCRIPT(S_PATH), JJAVA_LOAD_EXTENSIONS) are read by JJava's own
 * package-private {@code Env}, reached by reflection, so they mean exactly what they mean to
 * JJava. If any of it is missing (another JJava), {@link #startOrNull} returns null and the
 * caller runs JJava's main instead.
 */
final class Kernel {
    private final CourseKernel kernel;

    private Kernel(CourseKernel kernel) {
        this.kernel = kernel;
    }

    @SuppressWarnings({"removal", "unchecked"})
    static Kernel startOrNull() {
        try {
            System.setProperty("java.util.logging.SimpleFormatter.format",
                    "[%4$.1s %1$tF %1$tT.%1$tL %3$s] %5$s%n");
            Class<?> env = Class.forName("org.dflib.jjava.distro.Env");
            MavenDependencyResolver maven = new MavenDependencyResolver();
            TimeMagic time = new TimeMagic();
            Object timeout = timeout((String) call(env, "timeout"));
            Outputs.INSTANCE.install();
            CourseKernel kernel = CourseKernel.courseBuilder()
                    .name("JJava")
                    .version(version())
                    .extensionsEnabled((Boolean) call(env, "extensionsEnabled"))
                    .compilerOpts((List<String>) call(env, "compilerOpts"))
                    .timeout((Long) field(timeout, "time"), (TimeUnit) field(timeout, "timeUnit"))
                    .lineMagic("load", new LoadMagic())
                    .lineMagic("classpath", new ClasspathMagic())
                    .lineMagic("time", time)
                    .lineMagic("maven", new MavenMagic(maven))
                    .lineMagic("mavenRepo", new MavenRepoMagic(maven))
                    .lineMagic("loadFromPOM", new LoadFromPomLineMagic(maven))
                    .lineMagic("jars", new JarsMagic())
                    .lineMagic("addMavenDependency", new AddMavenDependencyMagic(maven))
                    .cellMagic("loadFromPOM", new LoadFromPomCellMagic(maven))
                    .cellMagic("time", time)
                    .build();
            kernel.onStartup();
            kernel.addToClasspath((String) call(env, "extraClasspath"));
            for (String snippet : (List<String>) call(env, "startupSnippets")) {
                kernel.evalBuilder(snippet).resolveMagics().eval();
            }
            warmUp(kernel);
            return new Kernel(kernel);
        } catch (ReflectiveOperationException | java.io.IOException | RuntimeException | LinkageError e) {
            System.err.println("asynclab.kernel.Spare: starting the kernel ahead failed (" + e
                    + "); JJava's main will start it when the connection file arrives");
            return null;
        }
    }

    /**
     * Runs one cell's worth of the kernel's own path (JJava's evaluator, this JShell, the renderer)
     * and drops the snippets it made, so the notebook sees none of it; the next snippet number
     * JShell gives is one higher, which the notebook never shows.
     */
    private static void warmUp(CourseKernel kernel) {
        var shell = kernel.getJShell();
        long before = shell.snippets().count();
        kernel.eval("1 + 1");
        shell.snippets().skip(before).toList().forEach(shell::drop);
    }

    /** Connects to the Jupyter server of the connection file and serves it until it closes. */
    void connect(String connectionFile) throws Exception {
        var properties = KernelConnectionProperties.parse(Files.readString(Path.of(connectionFile)));
        JupyterConnection connection = new JupyterConnection(properties);
        kernel.becomeHandlerForConnection(connection);
        connection.connect();
        connection.waitUntilClose();
    }

    private static Object call(Class<?> type, String name) throws ReflectiveOperationException {
        Method method = type.getDeclaredMethod(name);
        method.setAccessible(true);
        return method.invoke(null);
    }

    /** JJAVA_TIMEOUT as JJava parses it (its own parser, by reflection). */
    private static Object timeout(String value) throws ReflectiveOperationException {
        Method parse = Class.forName("org.dflib.jjava.distro.JJava$Timeout")
                .getDeclaredMethod("parseOrDefault", String.class);
        parse.setAccessible(true);
        return parse.invoke(null, value);
    }

    private static Object field(Object owner, String name) throws ReflectiveOperationException {
        var field = owner.getClass().getDeclaredField(name);
        field.setAccessible(true);
        return field.get(owner);
    }

    private static String version() throws java.io.IOException {
        Properties pom = new Properties();
        try (var in = JJava.class.getClassLoader().getResourceAsStream(
                "META-INF/maven/org.dflib.jjava/jjava-distro/pom.properties")) {
            if (in != null) {
                pom.load(in);
            }
        }
        return pom.getProperty("version", "");
    }
}
