package dev.wsnetty.netty.fuzz;

import dev.wsnetty.netty.codec.AutobahnUtf8Cases;
import dev.wsnetty.netty.codec.Role;
import dev.wsnetty.netty.testing.Frames;
import dev.wsnetty.netty.testing.UpgradeRequest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.wsnetty.netty.testing.Bytes.concat;
import static dev.wsnetty.netty.testing.Bytes.hex;
import static dev.wsnetty.netty.testing.Bytes.repeat;
import static dev.wsnetty.netty.testing.Bytes.utf8;

/**
 * Writes the seed corpus of the fuzz tests: meaningful valid and near-valid inputs, each encoded for the test's
 * {@link com.code_intelligence.jazzer.api.FuzzedDataProvider} layout ({@link FuzzInput}), into the directories where
 * jazzer-junit finds them ({@code <TestClass>Inputs/<method>/} beside the test class in the test resources). The
 * default build replays them as regression tests; fuzzing starts from them. Files are named {@code seed-<what>}
 * (crash reproducers that Jazzer adds are {@code crash-<sha1>}). Run it from the repository root after changing an
 * input layout, and commit the result:
 * {@code java -cp <test classpath> dev.wsnetty.netty.fuzz.SeedCorpus websocket-netty/src/test/resources}
 */
public final class SeedCorpus {
    private final Path resources;

    private SeedCorpus(Path resources) {
        this.resources = resources;
    }

    /**
     * Writes every seed.
     *
     * @param args the test resources directory
     */
    public static void main(String[] args) {
        SeedCorpus corpus = new SeedCorpus(Path.of(args[0]));
        for (Role role : Role.values()) {
            corpus.frames(role);
        }
        corpus.serverHandshakes();
        corpus.clientHandshakes();
        corpus.utf8Texts();
    }

    // ---------------------------------------------------------------- frames

    private void frames(Role role) {
        String method = role == Role.SERVER ? "serverReadsArbitraryBytes" : "clientReadsArbitraryBytes";
        Path dir = dir(FrameDecoderFuzzTest.class, method);
        byte[] hello = Frames.to(role, true, 0x1, utf8("hello"));
        write(dir, "text-whole", frames(true, false, false, List.of(), hello));
        write(dir, "text-byte-by-byte", frames(false, true, true, List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), hello));
        byte[] fragmented = concat(Frames.to(role, false, 0x1, hex("cebae1bd")), Frames.to(role, true, 0x9, utf8("p")),
                Frames.to(role, true, 0x0, hex("b9cf83cebcceb5")));
        write(dir, "text-fragments-ping-between-split-code-point", frames(true, false, true, List.of(3, 9, 17),
                fragmented));
        write(dir, "text-fragments-frames", frames(false, true, false, List.of(), fragmented));
        byte[] binary200 = Frames.to(role, true, 0x2, repeat(0x5A, 200));
        write(dir, "binary-16-bit-length-split-in-header", frames(true, true, true, List.of(2, 3, 100), binary200));
        write(dir, "binary-16-bit-length-streamed", frames(false, false, true, List.of(10, 60, 150), binary200));
        write(dir, "close-1000-reason", frames(true, false, false, List.of(), concat(hello,
                Frames.to(role, true, 0x8, Frames.closePayload(1000, "bye")))));
        write(dir, "close-empty", frames(false, false, false, List.of(), Frames.to(role, true, 0x8, new byte[0])));
        write(dir, "ping-pong", frames(false, false, false, List.of(7), concat(
                Frames.to(role, true, 0x9, utf8("ping")), Frames.to(role, true, 0xA, utf8("pong")))));
        // Failures.
        write(dir, "invalid-utf8-surrogate-1007", frames(true, false, false, List.of(8),
                Frames.to(role, true, 0x1, hex("cebae1bdb9eda080"))));
        write(dir, "invalid-utf8-in-close-reason-1007", frames(false, false, false, List.of(),
                Frames.to(role, true, 0x8, Frames.closePayload(1000, hex("c0af")))));
        write(dir, "reserved-opcode-1002", frames(false, false, false, List.of(), Frames.to(role, true, 0x3, utf8("x"))));
        write(dir, "rsv1-1002", frames(false, false, false, List.of(), Frames.frame(0xC1, utf8("x"),
                role == Role.SERVER, Frames.KEY)));
        write(dir, "wrong-masking-1002", frames(false, false, false, List.of(), Frames.frame(0x81, utf8("x"),
                role != Role.SERVER, Frames.KEY)));
        write(dir, "length-2-pow-63-minus-1", frames(false, false, false, List.of(),
                Frames.frame(0x82, 64, Long.MAX_VALUE, new byte[0], role == Role.SERVER, Frames.KEY)));
        write(dir, "non-minimal-length-1002", frames(false, false, false, List.of(),
                Frames.frame(0x82, 16, 5, utf8("12345"), role == Role.SERVER, Frames.KEY)));
        write(dir, "ping-126-bytes-1002", frames(false, false, false, List.of(), Frames.to(role, true, 0x9,
                repeat('p', 126))));
        write(dir, "fragmented-ping-1002", frames(false, false, false, List.of(), Frames.to(role, false, 0x9,
                utf8("p"))));
        write(dir, "continuation-without-start-1002", frames(true, false, false, List.of(), Frames.to(role, true,
                0x0, utf8("x"))));
        write(dir, "new-message-inside-fragmented-1002", frames(false, false, false, List.of(), concat(
                Frames.to(role, false, 0x1, utf8("a")), Frames.to(role, true, 0x2, utf8("b")))));
        write(dir, "close-code-1005-1002", frames(false, false, false, List.of(), Frames.to(role, true, 0x8,
                Frames.closePayload(1005, ""))));
        write(dir, "close-one-byte-1002", frames(false, false, false, List.of(), Frames.to(role, true, 0x8,
                new byte[] {3})));
        write(dir, "frame-over-small-limit-1009", frames(false, false, true, List.of(), Frames.to(role, true, 0x2,
                repeat(1, 300))));
        write(dir, "message-over-small-limit-1009", frames(true, false, true, List.of(), concat(
                Frames.to(role, false, 0x2, repeat(1, 250)), Frames.to(role, false, 0x0, repeat(2, 250)),
                Frames.to(role, false, 0x0, repeat(3, 250)), Frames.to(role, false, 0x0, repeat(4, 250)),
                Frames.to(role, true, 0x0, repeat(5, 250)))));
        write(dir, "too-many-fragments-small-limit", frames(true, false, true, List.of(), concat(
                Frames.to(role, false, 0x1, utf8("a")), Frames.to(role, false, 0x0, utf8("b")),
                Frames.to(role, false, 0x0, utf8("c")), Frames.to(role, false, 0x0, utf8("d")),
                Frames.to(role, true, 0x0, utf8("e")))));
        write(dir, "unfinished-frame-deadline-1008", frames(false, false, true, List.of(),
                Arrays.copyOf(binary200, 50)));
        write(dir, "unfinished-message-deadline-1008", frames(true, false, true, List.of(),
                Frames.to(role, false, 0x1, utf8("part"))));
        write(dir, "text-ending-inside-code-point-1007", frames(true, false, false, List.of(),
                Frames.to(role, true, 0x1, hex("68c3"))));
    }

    private static byte[] frames(boolean aggregate, boolean direct, boolean small, List<Integer> cuts, byte[] wire) {
        return new FuzzInput().bool(aggregate).bool(direct).bool(small).cuts(cuts, FrameDecoderFuzzTest.MAX_CUTS)
                .remaining(wire);
    }

    // ---------------------------------------------------------------- handshakes

    private void serverHandshakes() {
        Path dir = dir(ServerHandshakeFuzzTest.class, "answersAnyRequestWithA101OrAReason");
        UpgradeRequest valid = UpgradeRequest.to("/chat");
        write(dir, "valid", request(false, List.of(), valid.toString()));
        write(dir, "valid-split", request(false, List.of(5, 20, 60, 61, 100), valid.toString()));
        write(dir, "valid-with-subprotocols-and-a-frame-after", request(false, List.of(),
                concat(UpgradeRequest.to("/").header("Sec-WebSocket-Protocol", "chat, superchat").toString()
                        .getBytes(StandardCharsets.ISO_8859_1), Frames.masked(true, 0x1, utf8("hi")))));
        write(dir, "valid-any-case-token-lists", request(false, List.of(), "GET /?q=1 HTTP/1.1\r\n"
                + "host: example.com:8080\r\nupgrade: WebSocket\r\nconnection: keep-alive, Upgrade\r\n"
                + "sec-websocket-key: " + UpgradeRequest.KEY + "\r\nsec-websocket-version: 13\r\n"
                + "Origin: http://example.com\r\n\r\n"));
        write(dir, "valid-with-body", request(false, List.of(), valid.header("Content-Length", "4") + "body"));
        write(dir, "chunked-body", request(false, List.of(), UpgradeRequest.to("/")
                .header("Transfer-Encoding", "chunked") + "4\r\nbody\r\n0\r\n\r\n"));
        write(dir, "missing-key-400", request(false, List.of(), UpgradeRequest.to("/").without("Sec-WebSocket-Key")
                .toString()));
        write(dir, "key-of-15-bytes-400", request(false, List.of(), UpgradeRequest.to("/")
                .header("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAA").toString()));
        write(dir, "version-8-426", request(false, List.of(), UpgradeRequest.to("/")
                .header("Sec-WebSocket-Version", "8").toString()));
        write(dir, "post-400", request(false, List.of(), UpgradeRequest.to("/").method("POST").toString()));
        write(dir, "http-1.0-400", request(false, List.of(), UpgradeRequest.to("/").version("HTTP/1.0").toString()));
        write(dir, "no-host-400", request(false, List.of(), UpgradeRequest.to("/").without("Host").toString()));
        write(dir, "two-hosts-400", request(false, List.of(), UpgradeRequest.to("/").toString()
                .replace("\r\n\r\n", "\r\nHost: other.example\r\n\r\n")));
        write(dir, "plain-http-400", request(false, List.of(), "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n"));
        write(dir, "long-request-line-414", request(true, List.of(), UpgradeRequest.to("/" + "a".repeat(80))
                .toString()));
        write(dir, "large-headers-431", request(true, List.of(), UpgradeRequest.to("/")
                .header("X-Padding", "p".repeat(300)).toString()));
        write(dir, "incomplete-408", request(false, List.of(), "GET / HTTP/1.1\r\nHost: example.com\r\n"));
        write(dir, "tls-client-hello-400", request(false, List.of(), new String(hex("160301020001"),
                StandardCharsets.ISO_8859_1)));
        write(dir, "bare-lf", request(false, List.of(), valid.toString().replace("\r\n", "\n")));
    }

    private static byte[] request(boolean small, List<Integer> cuts, String request) {
        return request(small, cuts, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] request(boolean small, List<Integer> cuts, byte[] request) {
        return new FuzzInput().bool(small).cuts(cuts, ServerHandshakeFuzzTest.MAX_CUTS).remaining(request);
    }

    private void clientHandshakes() {
        Path dir = dir(ClientHandshakeFuzzTest.class, "judgesAnyResponseAndSaysWhy");
        String accept = ClientHandshakeFuzzTest.ACCEPT_PLACEHOLDER;
        String valid = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n";
        write(dir, "valid", response(List.of(), valid));
        write(dir, "valid-split", response(List.of(3, 17, 40, 41, 70), valid));
        write(dir, "valid-subprotocol", response(List.of(), valid.replace("\r\n\r\n",
                "\r\nSec-WebSocket-Protocol: superchat\r\n\r\n")));
        write(dir, "valid-with-frames-after", response(List.of(), concat(valid.getBytes(StandardCharsets.ISO_8859_1),
                Frames.unmasked(true, 0x1, utf8("hello")), Frames.serverClose(1000, "bye"))));
        write(dir, "valid-any-case-after-early-hints", response(List.of(), "HTTP/1.1 103 Early Hints\r\n"
                + "Link: </style.css>; rel=preload\r\n\r\nHTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                + "connection: keep-alive, upgrade\r\nsec-websocket-accept:  " + accept + " \r\n\r\n"));
        write(dir, "wrong-accept", response(List.of(), valid.replace(accept, UpgradeRequest.ACCEPT)));
        write(dir, "two-accepts", response(List.of(), valid.replace("\r\n\r\n", "\r\nSec-WebSocket-Accept: "
                + accept + "\r\n\r\n")));
        write(dir, "no-upgrade", response(List.of(), valid.replace("Upgrade: websocket\r\n", "")));
        write(dir, "subprotocol-not-offered", response(List.of(), valid.replace("\r\n\r\n",
                "\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")));
        write(dir, "extension-not-offered", response(List.of(), valid.replace("\r\n\r\n",
                "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n")));
        write(dir, "refused-403-with-body", response(List.of(), "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain;"
                + " charset=utf-8\r\nContent-Length: 9\r\n\r\nno thanks"));
        write(dir, "refused-chunked", response(List.of(20), "HTTP/1.1 503 Service Unavailable\r\n"
                + "Transfer-Encoding: chunked\r\nRetry-After: 5\r\n\r\n5\r\nbusy!\r\n0\r\n\r\n"));
        write(dir, "refused-body-until-close", response(List.of(), "HTTP/1.0 200 OK\r\n\r\nhello"));
        write(dir, "status-line-only", response(List.of(), "HTTP/1.1 101 Switching Protocols\r\n"));
        write(dir, "not-http", response(List.of(), "SSH-2.0-OpenSSH_9.2\r\n"));
        write(dir, "long-header-line", response(List.of(), valid.replace("\r\n\r\n", "\r\nX-Padding: "
                + "p".repeat(300) + "\r\n\r\n")));
    }

    private static byte[] response(List<Integer> cuts, String response) {
        return response(cuts, response.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static byte[] response(List<Integer> cuts, byte[] response) {
        return new FuzzInput().cuts(cuts, ClientHandshakeFuzzTest.MAX_CUTS).remaining(response);
    }

    // ---------------------------------------------------------------- UTF-8

    private void utf8Texts() {
        Path dir = dir(Utf8ValidatorFuzzTest.class, "agreesWithTheJdkDecoder");
        for (Object[] c : AutobahnUtf8Cases.CASES) {
            byte[] text = hex((String) c[1]);
            int kind = Math.floorMod(((String) c[0]).hashCode(), 3);
            List<Integer> cuts = text.length < 2 ? List.of() : List.of(1, text.length / 2, text.length - 1);
            write(dir, "autobahn-" + c[0], new FuzzInput().intInRange(kind, 0, 2).intInRange(text.length % 16, 0, 15)
                    .cuts(cuts, Utf8ValidatorFuzzTest.MAX_CUTS).remaining(text));
        }
        write(dir, "ascii-long-runs", new FuzzInput().intInRange(1, 0, 2).intInRange(3, 0, 15).cuts(List.of(8, 17), Utf8ValidatorFuzzTest.MAX_CUTS)
                .remaining(utf8("The quick brown fox jumps over the lazy dog. " + "κόσμε 𝄞 €")));
    }

    // ---------------------------------------------------------------- files

    private Path dir(Class<?> test, String method) {
        return resources.resolve(test.getPackageName().replace('.', '/'))
                .resolve(test.getSimpleName() + "Inputs").resolve(method);
    }

    private static void write(Path dir, String name, byte[] input) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve("seed-" + name), input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
