package asynclab;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * <p>If the kernel is there but the display fails, most likely because a new JJava release
 * renamed the classes or methods above, the text form is printed instead and one line, once per
 * JVM, goes to standard error: {@code asynclab: the JJava kernel is here but could not show a
 * picture (...)}. Without that line the only sign would be pictures turning into text.
 *
 * @apiNote A display sent after its cell has finished, for instance from a thread the cell left
 * running, is dropped by the kernel.
 */
final class Notebook {
    private Notebook() {}

    private static volatile boolean forcedText;
    /** The kernel class looked up by reflection; a test may point it at a stand-in. */
    static volatile String kernelClass = "org.dflib.jjava.jupyter.kernel.BaseKernel";
    /** Whether the one line on standard error has been written; a test may reset it. */
    static final AtomicBoolean warned = new AtomicBoolean();

    /** True when running inside a notebook kernel that can display rich output. */
    static boolean inKernel() {
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
    static void showSvg(String svg, String text) {
        Objects.requireNonNull(svg, "svg");
        display(bundle("text/html", svg, "image/svg+xml", svg, "text/plain", Objects.requireNonNull(text, "text")));
    }

    /** Shows an HTML fragment, or prints {@code text} outside a notebook. */
    static void showHtml(String html, String text) {
        Objects.requireNonNull(html, "html");
        display(bundle("text/html", html, "text/plain", Objects.requireNonNull(text, "text")));
    }

    /** MIME type, value, MIME type, value...: a map that keeps that order. */
    private static Map<String, String> bundle(String... typesAndValues) {
        Map<String, String> bundle = new LinkedHashMap<>();
        for (int i = 0; i < typesAndValues.length; i += 2) {
            bundle.put(typesAndValues[i], typesAndValues[i + 1]);
        }
        return bundle;
    }

    /**
     * Sends one display message with the given representations, keyed by MIME type; outside a
     * notebook prints the {@code text/plain} one.
     */
    static void display(Map<String, String> bundle) {
        String text = bundle.getOrDefault("text/plain", "");
        if (forcedText) {
            System.out.println(text);
            return;
        }
        Object kernel;
        try {
            kernel = kernel();
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            kernel = e;             // the class is there but notebookKernel() failed
        }
        if (kernel != null) {
            Throwable failure = kernel instanceof Throwable t ? t : null;
            if (failure == null) {
                try {
                    sendBundle(kernel, bundle);
                    return;
                } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                    failure = e;
                }
            }
            if (displayStatic(bundle)) {
                return;
            }
            warnOnce(failure);
        }
        System.out.println(text);
    }

    /**
     * Makes {@link #display} print the text form even inside a notebook ({@code true}), or go
     * back to choosing by itself ({@code false}); for tests of the text forms.
     */
    static void forceText(boolean on) {
        forcedText = on;
    }

    // ---------------------------------------------------------------------------------------------

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
            kernelClass = find(Notebook.kernelClass);
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
        find(kernelClass).getMethod("display", dataClass).invoke(kernel, data);
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

    private static void warnOnce(Throwable failure) {
        if (warned.compareAndSet(false, true)) {
            Throwable cause = failure instanceof java.lang.reflect.InvocationTargetException ite && ite.getCause() != null
                    ? ite.getCause() : failure;
            System.err.println("asynclab: the JJava kernel is here but could not show a picture (" + cause
                    + "); printing the text form instead. Has the kernel's display API changed?");
        }
    }
}
