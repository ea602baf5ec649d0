package dev.wsnetty.netty.testing;

import dev.wsnetty.netty.codec.Role;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.wsnetty.netty.testing.Bytes.utf8;

/**
 * The ten Autobahn cases in which a valid message comes before a frame that fails the connection with 1002 (3.2,
 * 3.3, 3.4, 4.1.3-4.1.5, 4.2.3-4.2.5, 5.15): the byte sequences the testsuite sends, written the way it writes them
 * (back to back, frame by frame, or in 1-byte chops). Its OK verdict is the message echoed before the Close;
 * NON-STRICT is the Close alone. For replaying them against our server (masked, as a client sends) or client
 * (unmasked, as a server sends).
 *
 * @param name    the case's number
 * @param frames  each frame as its first byte (FIN, RSV, opcode) and payload
 * @param writing how the frames are written
 * @param echo    the text the testee should echo before its Close
 */
public record MessageThenViolation(String name, List<Frame> frames, Writing writing, String echo) {
    private static final String HELLO = "Hello, world!";

    /**
     * One frame of a case.
     *
     * @param firstByte FIN, RSV bits and opcode
     * @param payload   the payload
     */
    public record Frame(int firstByte, byte[] payload) {
    }

    /** How the testsuite writes a case's bytes. */
    public enum Writing {
        /** Every frame in one write. */
        AT_ONCE,
        /** One write per frame. */
        FRAME_BY_FRAME,
        /** One write per byte. */
        BYTE_BY_BYTE
    }

    /** A sink of writes: a raw client's or a scripted server's send. */
    public interface Sender {
        /** Writes {@code bytes} in one write call. */
        void send(byte[] bytes) throws IOException;
    }

    /** All ten cases. */
    public static List<MessageThenViolation> all() {
        return List.of(
                helloBadPing("3.2", 0x80 | 0x20 | Frames.TEXT_FIRST, true, Writing.AT_ONCE),
                helloBadPing("3.3", 0x80 | 0x30 | Frames.TEXT_FIRST, true, Writing.FRAME_BY_FRAME),
                helloBadPing("3.4", 0x80 | 0x40 | Frames.TEXT_FIRST, true, Writing.BYTE_BY_BYTE),
                helloBadPing("4.1.3", 0x80 | 5, false, Writing.AT_ONCE),
                helloBadPing("4.1.4", 0x80 | 6, true, Writing.AT_ONCE),
                helloBadPing("4.1.5", 0x80 | 7, true, Writing.BYTE_BY_BYTE),
                helloBadPing("4.2.3", 0x80 | 13, false, Writing.AT_ONCE),
                helloBadPing("4.2.4", 0x80 | 14, true, Writing.AT_ONCE),
                helloBadPing("4.2.5", 0x80 | 15, true, Writing.BYTE_BY_BYTE),
                new MessageThenViolation("5.15", List.of(
                        new Frame(Frames.TEXT_FIRST, utf8("fragment1")),
                        new Frame(Frames.CONTINUATION_LAST, utf8("fragment2")),
                        new Frame(Frames.CONTINUATION, utf8("fragment3")), // nothing to continue
                        new Frame(Frames.TEXT, utf8("fragment4"))),
                        Writing.AT_ONCE, "fragment1fragment2"));
    }

    /** A text "Hello, world!", then the bad frame (with that payload or none), then an empty ping. */
    private static MessageThenViolation helloBadPing(String name, int badFirstByte, boolean badPayload,
                                                     Writing writing) {
        return new MessageThenViolation(name, List.of(
                new Frame(Frames.TEXT, utf8(HELLO)),
                new Frame(badFirstByte, badPayload ? utf8(HELLO) : new byte[0]),
                new Frame(Frames.PING, new byte[0])), writing, HELLO);
    }

    /** Sends the case to an endpoint of {@code role}: masked to a server, unmasked to a client. */
    public void sendTo(Role role, Sender out) throws IOException {
        List<byte[]> encoded = new ArrayList<>();
        for (Frame f : frames) {
            encoded.add(Frames.frame(f.firstByte(), f.payload(), role == Role.SERVER, Frames.KEY));
        }
        switch (writing) {
            case AT_ONCE -> out.send(Bytes.concat(encoded.toArray(new byte[0][])));
            case FRAME_BY_FRAME -> {
                for (byte[] frame : encoded) {
                    out.send(frame);
                }
            }
            case BYTE_BY_BYTE -> {
                for (byte[] frame : encoded) {
                    for (byte b : frame) {
                        out.send(new byte[] {b});
                    }
                }
            }
        }
    }

    /** The case's number, for test names. */
    @Override
    public String toString() {
        return name;
    }
}
