package dev.wsnetty.netty.testing;

/**
 * One leak that Netty's {@link io.netty.util.ResourceLeakDetector} found: a tracked object (usually a
 * {@code ByteBuf}) became unreachable before it was released.
 *
 * @param resourceType the simple name of the leaked type, as Netty reports it (for example {@code ByteBuf})
 * @param records the access records Netty kept for the object (where it was created and last touched);
 *                empty when the detector kept none
 */
public record LeakReport(String resourceType, String records) {
    /**
     * Describes the leak for a failure message.
     *
     * @return the resource type followed by its records, or a note that Netty kept none
     */
    @Override
    public String toString() {
        return records.isEmpty()
                ? resourceType + " (no access records: raise io.netty.leakDetection.level to paranoid to get them)"
                : resourceType + records;
    }
}
