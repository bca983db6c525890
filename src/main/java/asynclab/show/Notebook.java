package asynclab.show;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Shows pictures under the running notebook cell, or prints their text form anywhere else.
 *
 * <p>The helper jar does not depend on the kernel's jar. Inside the JJava kernel it finds the
 * kernel's display machinery by reflection ({@code BaseKernel.notebookKernel().display(...)},
 * falling back to {@code BaseNotebookStatics.display(Object, String...)}) and sends one display
 * message that carries a picture three ways: {@code text/html} with the SVG inline (JupyterLab
 * shows this one, and screen readers can reach its {@code <title>} and {@code <desc>}),
 * {@code image/svg+xml} for front ends that prefer it, and {@code text/plain} with the text form.
 * In JShell, a test or a terminal it prints the text form.
 *
 * @apiNote A display sent after its cell has finished, for instance from a thread the cell left
 * running, is dropped by the kernel.
 */
public final class Notebook {
    private Notebook() {}

    private static final AtomicLong IDS = new AtomicLong();
    private static volatile boolean forcedText;

    /** True when running inside a notebook kernel that can display rich output. */
    public static boolean inKernel() {
        if (forcedText) {
            return false;
        }
        try {
            return kernel() != null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }

    /**
     * Shows an SVG picture inline, or prints {@code text} outside a notebook.
     *
     * @param svg  a complete {@code <svg>} element
     * @param text what to print where pictures cannot be shown
     */
    public static void svg(String svg, String text) {
        Objects.requireNonNull(svg, "svg");
        Objects.requireNonNull(text, "text");
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", svg);
        bundle.put("image/svg+xml", svg);
        bundle.put("text/plain", text);
        display(bundle);
    }

    /** Shows an HTML fragment, or prints {@code text} outside a notebook. */
    public static void html(String html, String text) {
        Objects.requireNonNull(html, "html");
        Objects.requireNonNull(text, "text");
        Map<String, String> bundle = new LinkedHashMap<>();
        bundle.put("text/html", html);
        bundle.put("text/plain", text);
        display(bundle);
    }

    /**
     * Sends one display message with the given representations, keyed by MIME type; outside a
     * notebook prints the {@code text/plain} one.
     */
    public static void display(Map<String, String> bundle) {
        String text = bundle.getOrDefault("text/plain", "");
        if (forcedText) {
            System.out.println(text);
            return;
        }
        try {
            Object kernel = kernel();
            if (kernel != null) {
                sendBundle(kernel, bundle);
                return;
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            if (displayStatic(bundle)) {
                return;
            }
        }
        System.out.println(text);
    }

    /**
     * A fresh id for the elements of one picture, so that several pictures on one page never
     * share an {@code id}.
     */
    public static String newId(String prefix) {
        return prefix + "-" + Long.toString(System.nanoTime() & 0xffffff, 36) + "-" + IDS.incrementAndGet();
    }

    /**
     * Makes {@link #display} print the text form even inside a notebook ({@code true}), or go
     * back to choosing by itself ({@code false}); for tests of the text forms.
     */
    public static void forceText(boolean on) {
        forcedText = on;
    }

    // ---------------------------------------------------------------------------------------------

    private static final String KERNEL = "org.dflib.jjava.jupyter.kernel.BaseKernel";
    private static final String DATA = "org.dflib.jjava.jupyter.kernel.display.DisplayData";
    private static final String STATICS = "org.dflib.jjava.jupyter.kernel.BaseNotebookStatics";

    private static Class<?> find(String name) throws ClassNotFoundException {
        ClassLoader[] loaders = {
            Thread.currentThread().getContextClassLoader(), Notebook.class.getClassLoader(), ClassLoader.getSystemClassLoader()
        };
        for (ClassLoader loader : loaders) {
            if (loader == null) {
                continue;
            }
            try {
                return Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                // try the next loader
            }
        }
        throw new ClassNotFoundException(name);
    }

    private static Object kernel() throws ReflectiveOperationException {
        Class<?> kernelClass;
        try {
            kernelClass = find(KERNEL);
        } catch (ClassNotFoundException e) {
            return null;
        }
        return kernelClass.getMethod("notebookKernel").invoke(null);
    }

    private static void sendBundle(Object kernel, Map<String, String> bundle) throws ReflectiveOperationException {
        Class<?> dataClass = Class.forName(DATA, true, kernel.getClass().getClassLoader());
        Object data = dataClass.getConstructor().newInstance();
        Method put = dataClass.getMethod("putData", String.class, Object.class);
        for (Map.Entry<String, String> e : bundle.entrySet()) {
            put.invoke(data, e.getKey(), e.getValue());
        }
        Class<?> kernelClass = find(KERNEL);
        kernelClass.getMethod("display", dataClass).invoke(kernel, data);
    }

    private static boolean displayStatic(Map<String, String> bundle) {
        try {
            Class<?> statics = find(STATICS);
            Method display = statics.getMethod("display", Object.class, String[].class);
            String html = bundle.get("text/html");
            if (html == null) {
                return false;
            }
            display.invoke(null, html, new String[] {"text/html"});
            return true;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return false;
        }
    }
}
