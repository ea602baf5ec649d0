package dev.wsnetty.spi;

/**
 * When a connection's inbound queue makes the transport stop and restart reading (backpressure), so a slow
 * consumer costs bounded memory instead of an ever growing queue.
 *
 * <p>Reading pauses when the queue holds at least {@code highMessageCount} messages <em>or</em> at least
 * {@code highByteCount} bytes, and resumes when it is down to at most {@code lowMessageCount} messages
 * <em>and</em> at most {@code lowByteCount} bytes. The gap between the marks keeps the socket from being switched
 * on and off for every message. The limits are soft: messages already decoded when reading pauses are still
 * queued, never dropped. Bytes are payload bytes (binary and pong), or characters for string messages.
 *
 * <p>Defaults ({@link #DEFAULT}): 256 / 64 messages and 1 MiB / 256 KiB: a queue that backs up holds at most about
 * one default-sized maximal message (1 MiB) plus what was in flight.
 *
 * @param highMessageCount pause at this many queued messages, at least 1
 * @param lowMessageCount  resume at or below this many, 0 to {@code highMessageCount - 1}
 * @param highByteCount    pause at this many queued bytes, at least 1
 * @param lowByteCount     resume at or below this many, 0 to {@code highByteCount - 1}
 */
public record InboundQueueLimits(int highMessageCount, int lowMessageCount, long highByteCount, long lowByteCount) {
    /** 256 / 64 messages, 1 MiB / 256 KiB. */
    public static final InboundQueueLimits DEFAULT = new InboundQueueLimits(256, 64, 1 << 20, 256 << 10);

    /** Checks that each low mark is below its high mark and nothing is negative. */
    public InboundQueueLimits {
        if (highMessageCount < 1 || lowMessageCount < 0 || lowMessageCount >= highMessageCount) {
            throw new IllegalArgumentException("message marks need 0 <= low < high and high >= 1, got high="
                    + highMessageCount + " low=" + lowMessageCount);
        }
        if (highByteCount < 1 || lowByteCount < 0 || lowByteCount >= highByteCount) {
            throw new IllegalArgumentException("byte marks need 0 <= low < high and high >= 1, got high="
                    + highByteCount + " low=" + lowByteCount);
        }
    }

    /** Whether a queue of this size should pause reading. */
    boolean isFull(int messages, long bytes) {
        return messages >= highMessageCount || bytes >= highByteCount;
    }

    /** Whether a queue of this size lets reading resume. */
    boolean isDrained(int messages, long bytes) {
        return messages <= lowMessageCount && bytes <= lowByteCount;
    }
}
