package dev.wsnetty.netty.codec;

import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.SecureRandom;

/**
 * Masking keys for client frames from a strong source of entropy, as RFC 6455 §5.3 asks (keys must not
 * be predictable from earlier ones, which {@code ThreadLocalRandom} does not guarantee).
 *
 * <p>Each thread draws a batch of keys from its own {@link SecureRandom} at once and hands them out one by
 * one, so a frame pays a few nanoseconds instead of a {@code SecureRandom} call.
 */
public final class MaskingKeys {
    private static final int BATCH_BYTES = 1024;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final FastThreadLocal<MaskingKeys> KEYS = new FastThreadLocal<>() {
        @Override
        protected MaskingKeys initialValue() {
            return new MaskingKeys();
        }
    };

    private final SecureRandom random = new SecureRandom();
    private final byte[] batch = new byte[BATCH_BYTES];
    private int next = BATCH_BYTES;

    private MaskingKeys() {
    }

    /** A fresh masking key for one frame. */
    public static int next() {
        return KEYS.get().take();
    }

    private int take() {
        if (next == BATCH_BYTES) {
            random.nextBytes(batch);
            next = 0;
        }
        int key = (int) INTS.get(batch, next);
        next += 4;
        return key;
    }
}
