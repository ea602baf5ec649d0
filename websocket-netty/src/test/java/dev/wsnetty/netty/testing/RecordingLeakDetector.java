package dev.wsnetty.netty.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakTracker;

import java.util.function.Consumer;

/**
 * A {@link ResourceLeakDetector} that hands every leak it reports to a sink (besides logging it as Netty
 * does), so a test can fail on it instead of leaving an easily missed line in the log.
 *
 * @param <T> the tracked resource type
 */
final class RecordingLeakDetector<T> extends ResourceLeakDetector<T> {
    private final Consumer<LeakReport> sink;

    RecordingLeakDetector(Class<?> resourceType, int samplingInterval, Consumer<LeakReport> sink) {
        super(resourceType, samplingInterval);
        this.sink = sink;
    }

    /** Always reports: Netty's default skips the work when its logger has error logging off. */
    @Override
    protected boolean needReport() {
        return true;
    }

    @Override
    protected void reportTracedLeak(String resourceType, String records) {
        sink.accept(new LeakReport(resourceType, records));
        super.reportTracedLeak(resourceType, records);
    }

    @Override
    protected void reportUntracedLeak(String resourceType) {
        sink.accept(new LeakReport(resourceType, ""));
        super.reportUntracedLeak(resourceType);
    }

    /**
     * Makes the detector report what the garbage collector has found unreachable so far. Netty only looks
     * at its reference queue when it starts tracking a new object, so track (and at once close) a probe.
     */
    @SuppressWarnings("unchecked")
    void reportCollectedLeaks() {
        Object probe = new Object();
        ResourceLeakTracker<Object> tracker = ((ResourceLeakDetector<Object>) this).trackForcibly(probe);
        tracker.close(probe);
    }
}
