package dev.wsnetty.netty.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test when Netty's leak detector reports a leaked buffer: after each test with a cheap look at the
 * reports so far, and after each test class with a thorough one that collects garbage first.
 *
 * <p>Registered for every test class through JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension} plus
 * {@code junit.jupiter.extensions.autodetection.enabled=true} in {@code junit-platform.properties}). JUnit
 * creates it before any test class runs, which is what lets {@link LeakCheck} install its detector factory
 * before Netty creates its detectors.
 */
public final class LeakCheckExtension implements AfterEachCallback, AfterAllCallback {
    /** Creates the extension and installs the recording leak detector factory. */
    public LeakCheckExtension() {
        LeakCheck.install();
    }

    /** Fails the test that just ran if Netty has reported a leak meanwhile. */
    @Override
    public void afterEach(ExtensionContext context) {
        LeakCheck.assertNoLeaks("test " + context.getRequiredTestClass().getSimpleName()
                + " > " + context.getDisplayName());
    }

    /** Fails the test class if a leak shows up once garbage has been collected. */
    @Override
    public void afterAll(ExtensionContext context) {
        LeakCheck.assertNoLeaksAfterGc("test class " + context.getRequiredTestClass().getName());
    }
}
