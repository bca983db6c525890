package asynclab.show;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import asynclab.Out;
import org.junit.jupiter.api.Test;

class NotebookTest {
    @Test
    void outsideAKernelTheTextIsPrinted() throws Exception {
        assertFalse(Notebook.inKernel());
        assertEquals("a picture\n", Out.capture(() -> Notebook.svg("<svg/>", "a picture")).replace("\r\n", "\n"));
        assertEquals("html\n", Out.capture(() -> Notebook.html("<b>x</b>", "html")).replace("\r\n", "\n"));
        assertThrows(NullPointerException.class, () -> Notebook.svg(null, "x"));
    }

    @Test
    void idsAreUnique() {
        assertNotEquals(Notebook.newId("a"), Notebook.newId("a"));
    }

    @Test
    void paletteIsOkabeItoAndEscapes() {
        assertEquals("#E69F00", Palette.colour(0));
        assertEquals(Palette.colour(0), Palette.colour(Palette.OKABE_ITO.size()));
        assertEquals("#FFFFFF", Palette.ink(3));
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;", Palette.escape("<a href=\"x\">&'"));
    }
}
