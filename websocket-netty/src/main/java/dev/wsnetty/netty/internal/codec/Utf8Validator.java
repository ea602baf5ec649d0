package dev.wsnetty.netty.internal.codec;

import io.netty.buffer.ByteBuf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A streaming UTF-8 validator (RFC 3629): feed it the bytes of a text message in any number of pieces,
 * split anywhere, and it reports the first byte that cannot belong to valid UTF-8.
 *
 * <p>Rejected: stray continuation bytes, overlong forms (C0, C1, E0 80–9F, F0 80–8F), UTF-16 surrogates
 * (ED A0–BF), code points above U+10FFFF (F4 90+, F5–FF) and truncated sequences at the end. Accepted:
 * every scalar value, non-characters such as U+FFFE included. A piece may end inside a code point; that
 * is only an error if nothing valid can follow, or if the message ends there ({@link #isComplete()}).
 *
 * <p>It fails fast: {@link #update} returns {@code false} as soon as a byte makes the input invalid,
 * so a WebSocket endpoint can close with 1007 while the rest of a frame is still arriving.
 *
 * <p>Runs of ASCII are skipped 8 bytes per step. Not thread-safe; one instance per message stream, or
 * use {@link #isValid(ByteBuf, int, int)} for a one-shot check.
 */
public final class Utf8Validator {
    /** State after a byte that cannot be part of valid UTF-8; sticky until {@link #reset()}. */
    private static final int FAILED = -1;
    /** State between code points. */
    private static final int ACCEPT = 0;
    private static final long ASCII_MASK = 0x8080808080808080L;

    /*
     * Inside a code point the state packs the continuation bytes still needed (bits 0-1) and the range the
     * next byte must fall in: its lowest (bits 8-15) and highest (bits 16-23) allowed value. Only the byte
     * after E0, ED, F0 and F4 has a narrower range than 80-BF; that is where overlongs, surrogates and
     * values above U+10FFFF are caught, on the first byte that proves them.
     */
    private static final int ANY_CONTINUATION = (0x80 << 8) | (0xBF << 16);

    private int state;

    /** Creates a validator at the start of a message. */
    public Utf8Validator() {
    }

    /**
     * Checks the next {@code length} bytes of the message, read from {@code buf} at {@code index} (the
     * buffer's indices are not changed).
     *
     * @return {@code false} if the message is invalid (now or at an earlier call)
     */
    public boolean update(ByteBuf buf, int index, int length) {
        state = next(state, buf, index, length);
        return state != FAILED;
    }

    /** Whether everything fed so far is valid and ends on a code point boundary (a complete message). */
    public boolean isComplete() {
        return state == ACCEPT;
    }

    /** Starts over for a new message. */
    public void reset() {
        state = ACCEPT;
    }

    // The same validation on a state the caller keeps in an int field of its own: the frame decoder, where an
    // instance of this class would cost every connection 16 bytes.

    /** The state at the start of a message, for {@link #next}. */
    public static final int START = ACCEPT;

    /**
     * The state after the next {@code length} bytes of a message, read from {@code buf} at {@code index}, given
     * {@code state}, the state before them ({@link #START} at the start of a message).
     */
    public static int next(int state, ByteBuf buf, int index, int length) {
        return state == FAILED || length == 0 ? state : scan(state, buf, index, length);
    }

    /** Whether a state of {@link #next} means the message is invalid. */
    public static boolean isFailed(int state) {
        return state == FAILED;
    }

    /** Whether a state of {@link #next} means everything so far is valid and ends on a code point boundary. */
    public static boolean isComplete(int state) {
        return state == ACCEPT;
    }

    /** Whether {@code length} bytes of {@code buf} from {@code index} are complete, valid UTF-8. */
    public static boolean isValid(ByteBuf buf, int index, int length) {
        return length == 0 || scan(ACCEPT, buf, index, length) == ACCEPT;
    }

    private static int scan(int state, ByteBuf buf, int index, int length) {
        ByteBuffer view = NioViews.view(buf, index, length);
        if (view != null) {
            return scan(state, view, view.position(), view.position() + length);
        }
        if (buf.nioBufferCount() > 1) {
            for (ByteBuffer nio : buf.nioBuffers(index, length)) {
                state = scan(state, nio, nio.position(), nio.limit());
                if (state == FAILED) {
                    break;
                }
            }
            return state;
        }
        for (int i = index, end = index + length; i < end && state != FAILED; i++) {
            state = next(state, buf.getByte(i) & 0xFF);
        }
        return state;
    }

    private static int scan(int state, ByteBuffer nio, int i, int end) {
        boolean bigEndian = nio.order() == ByteOrder.BIG_ENDIAN;
        while (i < end) {
            if (state == ACCEPT) {
                while (i <= end - 8) {
                    long nonAscii = nio.getLong(i) & ASCII_MASK;
                    if (nonAscii != 0) {
                        // Jump straight to the first non-ASCII byte of the word (lowest address first).
                        i += (bigEndian ? Long.numberOfLeadingZeros(nonAscii) : Long.numberOfTrailingZeros(nonAscii)) >>> 3;
                        break;
                    }
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            state = next(state, nio.get(i++) & 0xFF);
            if (state == FAILED) {
                return FAILED;
            }
        }
        return state;
    }

    /** The state after byte {@code b} (0-255) in state {@code state} (not {@link #FAILED}). */
    private static int next(int state, int b) {
        if (state == ACCEPT) {
            return b < 0x80 ? ACCEPT : lead(b);
        }
        if (b < ((state >>> 8) & 0xFF) || b > (state >>> 16)) {
            return FAILED;
        }
        int needed = (state & 3) - 1;
        return needed == 0 ? ACCEPT : needed | ANY_CONTINUATION;
    }

    /** The state after a non-ASCII byte between code points. */
    private static int lead(int b) {
        if (b < 0xC2) {
            return FAILED; // a continuation byte, or C0/C1 (always overlong)
        }
        if (b < 0xE0) {
            return 1 | ANY_CONTINUATION;
        }
        if (b < 0xF0) {
            if (b == 0xE0) {
                return 2 | (0xA0 << 8) | (0xBF << 16); // E0 80-9F would be overlong
            }
            if (b == 0xED) {
                return 2 | (0x80 << 8) | (0x9F << 16); // ED A0-BF would be a surrogate
            }
            return 2 | ANY_CONTINUATION;
        }
        if (b < 0xF5) {
            if (b == 0xF0) {
                return 3 | (0x90 << 8) | (0xBF << 16); // F0 80-8F would be overlong
            }
            if (b == 0xF4) {
                return 3 | (0x80 << 8) | (0x8F << 16); // F4 90+ would be above U+10FFFF
            }
            return 3 | ANY_CONTINUATION;
        }
        return FAILED; // F5-FF: above U+10FFFF or not UTF-8 at all
    }
}
