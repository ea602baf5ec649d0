package dev.wsnetty.netty.internal.codec;

import io.netty.util.concurrent.FastThreadLocal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Masking keys for client frames from a strong source of entropy, as RFC 6455 §5.3 asks (keys must not
 * be predictable from earlier ones, which {@code ThreadLocalRandom} does not guarantee).
 *
 * <p>Each thread refills a batch of 256 keys at once. {@link SecureRandom} alone costs 12–50 ns per key,
 * as much as encoding a small frame, so the batch is the AES-128 counter-mode keystream (the
 * construction of NIST SP 800-90A's CTR_DRBG) under a key and counter drawn from the thread's
 * {@code SecureRandom}, which also re-keys it every {@value #BATCHES_PER_KEY} batches: about 1 ns per
 * key, no allocation. Where the JDK offers no AES/CTR the batch comes from {@code SecureRandom} itself.
 */
public final class MaskingKeys {
    private static final int BATCH_BYTES = 1024;
    private static final int BATCHES_PER_KEY = 4096;
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.nativeOrder());
    private static final FastThreadLocal<MaskingKeys> KEYS = new FastThreadLocal<>() {
        @Override
        protected MaskingKeys initialValue() {
            return new MaskingKeys();
        }
    };

    private final SecureRandom random = new SecureRandom();
    private final byte[] zeros = new byte[BATCH_BYTES];
    private final byte[] batch = new byte[BATCH_BYTES];
    private Cipher keystream;
    private int batchesLeft;
    private int next = BATCH_BYTES;

    private MaskingKeys() {
    }

    /** A fresh masking key for one frame. */
    public static int next() {
        return KEYS.get().take();
    }

    private int take() {
        if (next == BATCH_BYTES) {
            refill();
            next = 0;
        }
        int key = (int) INTS.get(batch, next);
        next += 4;
        return key;
    }

    private void refill() {
        if (keystream != null || batchesLeft == 0) {
            try {
                if (batchesLeft == 0) {
                    rekey();
                }
                batchesLeft--;
                // Encrypting zeros yields the keystream itself; CTR is a stream mode, so all bytes come out.
                keystream.update(zeros, 0, BATCH_BYTES, batch, 0);
                return;
            } catch (GeneralSecurityException e) {
                keystream = null;
                batchesLeft = -1; // no usable AES/CTR in this JDK: SecureRandom alone, slower but just as good
            }
        }
        random.nextBytes(batch);
    }

    private void rekey() throws GeneralSecurityException {
        byte[] seed = new byte[32];
        random.nextBytes(seed);
        if (keystream == null) {
            keystream = Cipher.getInstance("AES/CTR/NoPadding");
        }
        keystream.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(seed, 0, 16, "AES"), new IvParameterSpec(seed, 16, 16));
        batchesLeft = BATCHES_PER_KEY;
    }
}
