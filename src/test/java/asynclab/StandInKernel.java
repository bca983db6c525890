package asynclab;

/** Stands in for JJava's {@code BaseKernel} after a release that changed its display API. */
public final class StandInKernel {
    private StandInKernel() {}

    /** A kernel object with no {@code display} method, as if the API had been renamed. */
    public static Object notebookKernel() {
        return new Object();
    }
}
