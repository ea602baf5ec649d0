package dev.wsnetty.bench.load;

import io.netty.buffer.ByteBuf;

/** Reads and checks what the echo server sends back on one connection; on that connection's event loop. */
interface EchoReader {
    /**
     * Consumes all readable bytes of {@code in}.
     *
     * @return how many whole messages were completed
     * @throws IllegalStateException when the server sent something other than the echo, saying what
     */
    int read(ByteBuf in);

    /** The code of the server's Close frame, or -1 while none came. */
    int closeCode();
}
