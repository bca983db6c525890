package asynclab;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Each test of a class marked {@code @ExtendWith(TextOnly.class)} sees pictures as text, as JShell would. */
final class TextOnly implements BeforeEachCallback, AfterEachCallback {
    @Override
    public void beforeEach(ExtensionContext context) {
        Notebook.forceText(true);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Notebook.forceText(false);
    }
}
