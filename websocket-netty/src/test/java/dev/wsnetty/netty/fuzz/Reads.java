package dev.wsnetty.netty.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The fuzzer's bytes cut into reads where the fuzzer says: the number of cuts and their places come from the end of
 * the input (Jazzer's {@link FuzzedDataProvider} takes numbers from there), the bytes from all that remains. Each
 * cut is taken modulo the byte count, so any number is a valid place; cuts may coincide (an empty read).
 */
final class Reads {
    private Reads() {
    }

    /**
     * Takes up to {@code maxCuts} cut places, then the rest of the input, and returns the pieces in order.
     * Call it last: it consumes all that remains.
     */
    static List<byte[]> take(FuzzedDataProvider data, int maxCuts) {
        int[] cuts = new int[data.consumeInt(0, maxCuts)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, Integer.MAX_VALUE);
        }
        byte[] bytes = data.consumeRemainingAsBytes();
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] %= bytes.length + 1;
        }
        Arrays.sort(cuts);
        List<byte[]> pieces = new ArrayList<>(cuts.length + 1);
        int start = 0;
        for (int cut : cuts) {
            pieces.add(Arrays.copyOfRange(bytes, start, cut));
            start = cut;
        }
        pieces.add(Arrays.copyOfRange(bytes, start, bytes.length));
        return pieces;
    }
}
