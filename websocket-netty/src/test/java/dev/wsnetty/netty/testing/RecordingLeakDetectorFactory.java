package dev.wsnetty.netty.testing;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Creates {@link RecordingLeakDetector}s for Netty and remembers them, so that every detector can be asked
 * to report and it can be checked which resource types are covered.
 */
final class RecordingLeakDetectorFactory extends ResourceLeakDetectorFactory {
    private final List<RecordingLeakDetector<?>> detectors = new CopyOnWriteArrayList<>();
    private final List<Class<?>> resourceTypes = new CopyOnWriteArrayList<>();
    private final Consumer<LeakReport> sink;

    RecordingLeakDetectorFactory(Consumer<LeakReport> sink) {
        this.sink = sink;
    }

    @Override
    @SuppressWarnings("deprecation") // maxActive is part of the abstract signature; Netty ignores it too.
    public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
        RecordingLeakDetector<T> detector = new RecordingLeakDetector<>(resource, samplingInterval, sink);
        detectors.add(detector);
        resourceTypes.add(resource);
        return detector;
    }

    /** Asks every detector created so far to report the leaks the garbage collector has exposed. */
    void reportCollectedLeaks() {
        detectors.forEach(RecordingLeakDetector::reportCollectedLeaks);
    }

    /** Whether Netty asked this factory for a detector of the given resource type. */
    boolean createdDetectorFor(Class<?> resourceType) {
        return resourceTypes.contains(resourceType);
    }
}
