package dev.wsnetty.netty.testing;

/**
 * Sizes of the hostile-client tests (tagged {@code "hostile"}): bounded to seconds in the default suite, the
 * figures an attack was measured with under the {@code hostile} Maven profile (system property
 * {@code wsnetty.hostile}).
 */
public final class Hostile {
    /** The JUnit tag of the tests whose large versions the {@code hostile} profile runs. */
    public static final String TAG = "hostile";

    private Hostile() {}

    /** Whether the large versions run ({@code -Phostile}). */
    public static boolean large() {
        return Boolean.getBoolean("wsnetty.hostile");
    }

    /** {@code defaultSize} in the default suite, {@code largeSize} under the {@code hostile} profile. */
    public static int size(int defaultSize, int largeSize) {
        return large() ? largeSize : defaultSize;
    }
}
