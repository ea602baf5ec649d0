package dev.wsnetty.netty.internal.codec;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaskingKeysTest {
    /** More than one re-keying period (4096 batches of 256 keys). */
    private static final int COUNT = 1_200_000;

    @Test
    void keysLookUniformAcrossBatchesAndReKeying() {
        long[] bitCounts = new long[32];
        int repeats = 0;
        int previous = MaskingKeys.next();
        for (int i = 0; i < COUNT; i++) {
            int key = MaskingKeys.next();
            if (key == previous) {
                repeats++;
            }
            for (int bit = 0; bit < 32; bit++) {
                bitCounts[bit] += (key >>> bit) & 1;
            }
            previous = key;
        }
        // Expected repeats about 3e-4; a stuck or cycling generator would repeat constantly.
        assertTrue(repeats <= 2, "consecutive equal keys: " + repeats);
        // Each bit is set half of the time: the tolerance is over 25 standard deviations, so this never flakes.
        for (int bit = 0; bit < 32; bit++) {
            double share = bitCounts[bit] / (double) COUNT;
            assertTrue(Math.abs(share - 0.5) < 0.012, "bit " + bit + " set in " + share + " of keys");
        }
    }

    @Test
    void eachThreadHasItsOwnStream() throws InterruptedException, ExecutionException, TimeoutException {
        int[] here = new int[1000];
        Arrays.setAll(here, i -> MaskingKeys.next());
        FutureTask<int[]> there = new FutureTask<>(() -> {
            int[] keys = new int[1000];
            Arrays.setAll(keys, i -> MaskingKeys.next());
            return keys;
        });
        new Thread(there).start();
        assertFalse(Arrays.equals(here, there.get(10, TimeUnit.SECONDS)));
    }
}
