package asynclab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class NotebookTest {
    @Test
    void outsideAKernelTheTextIsPrinted() throws Exception {
        assertFalse(Notebook.inKernel());
        assertEquals("a picture\n", Out.capture(() -> Notebook.showSvg("<svg/>", "a picture")).replace("\r\n", "\n"));
        assertEquals("html\n", Out.capture(() -> Notebook.showHtml("<b>x</b>", "html")).replace("\r\n", "\n"));
        assertThrows(NullPointerException.class, () -> Notebook.showSvg(null, "x"));
    }

    @Test
    void aKernelThatCannotDisplaySaysSoOnceOnStandardError() throws Exception {
        String before = Notebook.kernelClass;
        PrintStream err = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Notebook.kernelClass = StandInKernel.class.getName();
        Notebook.warned.set(false);
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            assertTrue(Notebook.inKernel());
            assertEquals("first\nsecond\n", Out.capture(() -> {
                Notebook.showSvg("<svg/>", "first");
                Notebook.showSvg("<svg/>", "second");
            }).replace("\r\n", "\n"), "the text form is printed instead");
        } finally {
            System.setErr(err);
            Notebook.kernelClass = before;
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).startsWith("asynclab: the JJava kernel is here but could not show a picture ("), lines.get(0));
    }

    @Test
    void paletteIsOkabeItoAndEscapes() {
        assertEquals("#E69F00", Palette.colour(0));
        assertEquals(Palette.colour(0), Palette.colour(Palette.OKABE_ITO.size()));
        assertEquals("#FFFFFF", Palette.ink(3));
        assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39; ", Svg.escape("<a href=\"x\">&'\u0007"));
    }
}
