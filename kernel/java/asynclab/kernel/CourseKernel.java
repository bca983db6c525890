package asynclab.kernel;

import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;
import org.dflib.jjava.jupyter.channels.ShellReplyEnvironment;
import org.dflib.jjava.jupyter.kernel.HelpLink;
import org.dflib.jjava.jupyter.kernel.JupyterIO;
import org.dflib.jjava.jupyter.kernel.LanguageInfo;
import org.dflib.jjava.jupyter.kernel.comm.CommManager;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.history.HistoryManager;
import org.dflib.jjava.jupyter.kernel.magic.MagicTranspiler;
import org.dflib.jjava.jupyter.kernel.magic.MagicsRegistry;
import org.dflib.jjava.jupyter.kernel.magic.MagicsResolver;
import org.dflib.jjava.jupyter.kernel.util.StringStyler;
import org.dflib.jjava.jupyter.messages.Message;
import org.dflib.jjava.jupyter.messages.request.ExecuteRequest;
import org.dflib.jjava.kernel.JavaKernel;
import org.dflib.jjava.kernel.JavaKernelBuilder;
import org.dflib.jjava.kernel.execution.CodeEvaluator;

/**
 * JJava's Java kernel with what the course adds around it, JJava itself unchanged: output of
 * threads that outlive their cell reaches the notebook ({@link Outputs}); what JShell did to the
 * definitions is said in the cell that did it ({@link Definitions}); a compile error loses
 * JJava's {@code [snippet: …]} header and gains, where one applies, a hint ({@link Hints}).
 */
final class CourseKernel extends JavaKernel {
    private final Definitions definitions;
    private final List<String> pending = new ArrayList<>();   // lines for the error of this cell

    private CourseKernel(String name, String version, LanguageInfo languageInfo, List<HelpLink> helpLinks,
                         HistoryManager historyManager, JupyterIO io, CommManager commManager, Renderer renderer,
                         MagicsResolver magicsResolver, MagicsRegistry magicsRegistry, boolean extensionsEnabled,
                         StringStyler errorStyler, JShell shell, Evaluator evaluator) {
        super(name, version, languageInfo, helpLinks, historyManager, io, commManager, renderer, magicsResolver,
                magicsRegistry, extensionsEnabled, errorStyler, shell, evaluator);
        this.definitions = new Definitions(shell, evaluator::getClassLoader);
        evaluator.definitions = definitions;
    }

    static Builder courseBuilder() {
        return new Builder();
    }

    @Override
    protected synchronized void handleExecuteRequest(ShellReplyEnvironment env, Message<ExecuteRequest> request) {
        Outputs.Cell cell = Outputs.INSTANCE.begin(env.getIopub(), request);
        try {
            super.handleExecuteRequest(env, request);
        } finally {
            Outputs.INSTANCE.end(cell);
        }
    }

    /** JJava swaps System.out and System.err per cell; here they stay the routing streams. */
    @Override
    protected void replaceOutputStreams(ShellReplyEnvironment env) {
        var oldIn = System.in;
        System.setIn(io.in);
        env.defer(() -> System.setIn(oldIn));
    }

    @Override
    protected Object doEval(String source) {
        definitions.beginCell();
        pending.clear();
        List<String> before = definitions.beforeRun(source);
        if (!before.isEmpty()) {
            Outputs.INSTANCE.note(String.join("\n", before));
        }
        try {
            Object result = super.doEval(source);
            List<String> lines = definitions.endCell(null, source);
            Outputs.INSTANCE.flushAll();
            if (!lines.isEmpty()) {
                Outputs.INSTANCE.note(String.join("\n", lines));
            }
            return result;
        } catch (org.dflib.jjava.kernel.execution.CompilationException e) {
            Snippet bad = e.getBadSnippetCompilation().snippet();
            pending.addAll(Hints.of(bad, getJShell().diagnostics(bad).toList(), definitions.failed()));
            pending.addAll(definitions.endCell(bad, source));
            throw e instanceof CompilationException ? e : new CompilationException(e, getJShell());
        } catch (RuntimeException e) {
            pending.addAll(definitions.endCell(null, source));
            if (e.getCause() instanceof UnresolvedReferenceException u) {
                if (before.isEmpty()) {
                    pending.add("hint: " + Definitions.shown(u.getSnippet()) + " — " + Hints.RERUN);
                }
                throw CourseKernel.<RuntimeException>unchecked(u);   // JJava formats it: the snippet, what it lacks
            }
            throw e;
        } finally {
            Outputs.INSTANCE.flushAll();
        }
    }

    /** Throws a checked exception where only unchecked ones are declared (JJava catches Exception). */
    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E unchecked(Throwable e) throws E {
        throw (E) e;
    }

    @Override
    protected List<String> formatError(Throwable e) {
        List<String> lines = new ArrayList<>(super.formatError(e));
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines.remove(lines.size() - 1);
        }
        lines.addAll(pending);
        pending.clear();
        return lines;
    }

    /**
     * JJava's CompilationException whose message is JShell's first diagnostic, not the
     * {@code [snippet: …, isSignatureChange: true]} header that repeats the whole snippet. Same
     * simple name, so the notebook's error name stays "CompilationException".
     */
    static final class CompilationException extends org.dflib.jjava.kernel.execution.CompilationException {
        private static final long serialVersionUID = 1L;
        private final String message;

        CompilationException(org.dflib.jjava.kernel.execution.CompilationException original, JShell shell) {
            super(original.getBadSnippetCompilation());
            setStackTrace(original.getStackTrace());
            Snippet bad = original.getBadSnippetCompilation().snippet();
            this.message = shell.diagnostics(bad).findFirst()
                    .map(d -> d.getMessage(null).lines().map(String::strip)
                            .filter(l -> !l.startsWith("location:")).collect(Collectors.joining(" ")))
                    .orElse("this snippet did not compile");
        }

        @Override
        public String getMessage() {
            return message;
        }

        @Override
        public String getLocalizedMessage() {
            return message;
        }
    }

    /** JJava's evaluator; around each snippet, keeps the variables JShell rebuilds (Definitions). */
    static final class Evaluator extends CodeEvaluator {
        private Definitions definitions;

        Evaluator(String name, long timeout, TimeUnit unit) {
            super(name, timeout, unit);
        }

        @Override
        protected Object evalSingle(JShell shell, String code) {
            if (definitions == null) {
                return super.evalSingle(shell, code);
            }
            Map<VarSnippet, Object[]> saved = definitions.saveVariables();
            int from = definitions.eventCount();
            try {
                return super.evalSingle(shell, code);
            } finally {
                definitions.restoreVariables(saved, from);
            }
        }
    }

    /** JavaKernel.Builder's build(), with the course's kernel and evaluator. */
    static final class Builder extends JavaKernelBuilder<Builder, CourseKernel> {
        @Override
        public CourseKernel build() {
            String name = buildName();
            Charset encoding = buildJupyterIOEncoding();
            Evaluator evaluator = new Evaluator(name, timeoutUnit != null ? timeoutDuration : -1,
                    timeoutUnit != null ? timeoutUnit : TimeUnit.MILLISECONDS);
            JShell shell = buildJShell(evaluator);
            MagicTranspiler transpiler = buildMagicTranspiler();
            return new CourseKernel(name, buildVersion(), buildLanguageInfo(),
                    List.of(new HelpLink("Java tutorials", "https://docs.oracle.com/javase/tutorial/"),
                            new HelpLink("JJava homepage", "https://github.com/dflib/jjava")),
                    buildHistoryManager(), buildJupyterIO(encoding), buildCommManager(), buildRenderer(),
                    buildMagicsResolver(transpiler), buildMagicsRegistry(), buildExtensionsEnabled(),
                    buildErrorStyler(), shell, evaluator);
        }
    }
}
