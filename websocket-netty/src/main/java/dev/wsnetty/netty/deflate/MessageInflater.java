package dev.wsnetty.netty.deflate;

import dev.wsnetty.WebSocketProtocol;
import dev.wsnetty.netty.codec.InvalidPayloadException;
import dev.wsnetty.netty.codec.MessageTooBigException;
import dev.wsnetty.netty.codec.WebSocketFrame;
import dev.wsnetty.netty.internal.codec.Utf8Validator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

import java.nio.ByteBuffer;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The receiving half of permessage-deflate for one connection (RFC 7692 §7.2.2): inflates the frames of the peer's
 * compressed messages into pieces of the plain message, in bounded steps and under the message size limit.
 *
 * <p><b>Bounded.</b> Output is made in pieces of at most {@value #STEP} bytes, each no larger than what the limit
 * still allows: a message that inflates beyond {@code maxMessageSize} is refused with {@link MessageTooBigException}
 * (1009) as soon as one byte past the limit comes out (into a 1-byte buffer, released), however much more its input
 * would make (a kilobyte of deflate data can stand for a megabyte, and a fragmented message for any amount). Each
 * full piece goes on at once, so the buffers passed on for a message hold at most its limit.
 *
 * <p><b>Checked.</b> Invalid deflate data is {@link InvalidPayloadException} (1007), and so is inflated text that
 * is not UTF-8, validated piece by piece as the decoder validates uncompressed text.
 *
 * <p><b>Context.</b> When the peer takes over its context between messages, its messages are one deflate stream and
 * this connection keeps an inflate stream of its own for the connection's life (made at the first compressed
 * message): dropping it would lose the window the peer's next message may refer to. When the peer agreed
 * {@code *_no_context_takeover}, a message is a stream of its own: an inflater is borrowed from the thread's
 * {@link SharedZlibStreams} for the message and given back, reset, at its end.
 *
 * <p><b>Lifetime.</b> The handler makes one when a compressed message starts and drops it once {@link #isIdle()}:
 * at the message's end when the peer keeps no context, so an idle lean connection holds none; with the connection's
 * own stream, for as long as that lives.
 *
 * <p>On the channel's event loop only.
 */
final class MessageInflater {
    /** The most output made in one step, and the size of a full piece. */
    static final int STEP = 16 * 1024;
    /** The smallest first piece: a guess at the plain size below this is not worth a smaller buffer. */
    private static final int MIN_FIRST_PIECE = 256;
    /** RFC 7692 §7.2.2: the end of a sync flush, which the sender removed from the message's end. */
    private static final byte[] TAIL = {0, 0, (byte) 0xff, (byte) 0xff};

    private final boolean peerTakesOverContext;
    private final int maxMessageSize;

    /** The connection's own stream when the peer takes over context, made on first use; null before and after close. */
    private Inflater connectionInflater;
    /** The stream of the message being inflated, null between messages. */
    private Inflater inflater;
    private int opcode;
    /** Whether a piece of the current message has gone on (the first has the message's opcode). */
    private boolean started;
    private boolean text;
    private int utf8State;
    /** Plain bytes of the current message made so far. */
    private long produced;
    /** The piece being filled, not passed on yet; null between frames. */
    private ByteBuf piece;

    MessageInflater(boolean peerTakesOverContext, int maxMessageSize) {
        this.peerTakesOverContext = peerTakesOverContext;
        this.maxMessageSize = maxMessageSize;
    }

    /** Whether a compressed message has started and its final frame is still to come. */
    boolean inMessage() {
        return inflater != null;
    }

    /**
     * The plain bytes of the unfinished compressed message passed on so far (each call to {@link #inflate} passes on
     * all it made): what the handlers after this one may hold for it. 0 between messages.
     */
    int inflatedSoFar() {
        // At most the limit (an int): a message that goes beyond it is refused before this is asked.
        return inflater != null ? (int) produced : 0;
    }

    /**
     * Whether this holds nothing a later frame needs: no message in progress and no stream of the connection's own.
     * The handler then drops it, and makes a new one when the next compressed message starts.
     */
    boolean isIdle() {
        return inflater == null && connectionInflater == null;
    }

    /** Whether the connection holds an inflate stream of its own (context takeover by the peer), for tests. */
    boolean holdsStream() {
        return connectionInflater != null;
    }

    /**
     * Inflates one frame of a compressed message (the first has RSV1, the others are its continuation frames) and
     * passes the plain pieces to {@code out}: the first with the message's opcode, the last with FIN. The caller
     * keeps and releases {@code frame}. After a violation, call {@link #close()}.
     *
     * @throws InvalidPayloadException  if the data is not deflate data or the text is not UTF-8 (1007)
     * @throws MessageTooBigException  if the message inflates beyond the limit (1009)
     */
    void inflate(ByteBufAllocator alloc, WebSocketFrame frame, Consumer<WebSocketFrame> out) {
        if (frame.isCompressed()) {
            start(frame.opcode());
        }
        boolean last = frame.isFinal();
        try {
            ByteBuf content = frame.content();
            if (content.isReadable()) {
                for (ByteBuffer input : content.nioBuffers()) {
                    run(alloc, input, out);
                }
            }
            if (last) {
                run(alloc, ByteBuffer.wrap(TAIL), out);
                if (text && !Utf8Validator.isComplete(utf8State)) {
                    throw new InvalidPayloadException("text ends inside a UTF-8 sequence");
                }
            }
        } catch (DataFormatException e) {
            throw new InvalidPayloadException("invalid deflate data in a compressed message");
        }
        ByteBuf rest = piece;
        piece = null;
        if (rest != null && rest.isReadable() || last || !started) {
            emit(rest != null ? rest : Unpooled.EMPTY_BUFFER, last, out);
        } else if (rest != null) {
            rest.release();
        }
        if (last) {
            finish();
        }
    }

    private void start(int messageOpcode) {
        if (peerTakesOverContext) {
            if (connectionInflater == null) {
                connectionInflater = new Inflater(true);
            }
            inflater = connectionInflater;
        } else {
            inflater = SharedZlibStreams.current().borrowInflater();
        }
        opcode = messageOpcode;
        started = false;
        text = messageOpcode == WebSocketProtocol.OPCODE_TEXT;
        utf8State = Utf8Validator.START;
        produced = 0;
    }

    /** Inflates all of {@code input} into {@link #piece} and new pieces, passing on each piece that fills up. */
    private void run(ByteBufAllocator alloc, ByteBuffer input, Consumer<WebSocketFrame> out)
            throws DataFormatException {
        Inflater z = inflater;
        z.setInput(input);
        while (!z.finished()) {
            ByteBuf p = piece;
            if (p == null || !p.isWritable()) {
                int size = nextPieceSize(p == null && !started ? input.remaining() : -1);
                if (p != null) {
                    piece = null;
                    emit(p, false, out);
                }
                piece = p = alloc.buffer(size, size);
            }
            int at = p.writerIndex();
            int space = p.writableBytes();
            int n = z.inflate(p.internalNioBuffer(at, space));
            p.writerIndex(at + n);
            produced += n;
            if (produced > maxMessageSize) {
                throw new MessageTooBigException("message inflates to more than the limit of " + maxMessageSize
                        + " bytes");
            }
            if (text && n > 0) {
                utf8State = Utf8Validator.next(utf8State, p, at, n);
                if (Utf8Validator.isFailed(utf8State)) {
                    throw new InvalidPayloadException("text is not valid UTF-8");
                }
            }
            if (n < space) {
                // zlib stopped short of a full piece: it has consumed the input (or the stream ended).
                if (z.needsInput() || z.finished()) {
                    break;
                }
                if (n == 0) {
                    throw new DataFormatException(z.needsDictionary() ? "preset dictionary" : "no progress");
                }
            }
        }
    }

    /**
     * The size of the next piece: a full step, or for the message's first piece a guess from the compressed size
     * ({@code compressed} &gt;= 0), never more than what the limit still allows (but at least one byte).
     */
    private int nextPieceSize(int compressed) {
        long size = compressed >= 0 ? Math.max(MIN_FIRST_PIECE, Math.min(STEP, 8L * compressed)) : STEP;
        // At the limit, one byte more tells whether the message goes on: if it does, it is refused, that byte's
        // buffer released and never passed on.
        return (int) Math.max(1, Math.min(size, maxMessageSize - produced));
    }

    private void emit(ByteBuf piece, boolean fin, Consumer<WebSocketFrame> out) {
        int pieceOpcode = started ? WebSocketProtocol.OPCODE_CONTINUATION : opcode;
        started = true;
        out.accept(new WebSocketFrame(pieceOpcode, fin, piece));
    }

    /** The message is complete: a borrowed stream goes back, the connection's keeps its window. */
    private void finish() {
        Inflater z = inflater;
        inflater = null;
        if (z != connectionInflater) {
            SharedZlibStreams.current().giveBack(z);
        } else if (z.finished()) {
            // The peer ended its stream with a final block (RFC 7692 §7.2.3.3): its next message starts a new one.
            z.reset();
        }
    }

    /**
     * Gives back or ends every stream (the connection ends, or failed): after this no zlib memory is held. May be
     * called again.
     */
    void close() {
        if (piece != null) {
            piece.release();
            piece = null;
        }
        Inflater z = inflater;
        inflater = null;
        if (z != null && z != connectionInflater) {
            z.end(); // a failed message may have left it in any state
        }
        if (connectionInflater != null) {
            connectionInflater.end();
            connectionInflater = null;
        }
    }
}
