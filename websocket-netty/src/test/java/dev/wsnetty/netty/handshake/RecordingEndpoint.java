package dev.wsnetty.netty.handshake;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/** An endpoint that records where and with what its hooks ran, and adds a {@link Received} after upgrade. */
class RecordingEndpoint implements WebSocketEndpoint {
    final Received received = new Received();
    final CompletableFuture<String> acceptThread = new CompletableFuture<>();
    final CompletableFuture<HandshakeRequest> acceptedRequest = new CompletableFuture<>();
    final CompletableFuture<List<String>> pipelineWhenUpgraded = new CompletableFuture<>();
    final CompletableFuture<Boolean> upgradedOnEventLoop = new CompletableFuture<>();
    final CompletableFuture<String> upgradedSubprotocol = new CompletableFuture<>();
    private final String[] responseHeaders;

    /** @param responseHeaders name, value, name, value... to add in {@code accept} */
    RecordingEndpoint(String... responseHeaders) {
        this.responseHeaders = responseHeaders;
    }

    @Override
    public boolean accept(HandshakeRequest request, HttpHeaders headers) {
        acceptThread.complete(Thread.currentThread().getName());
        acceptedRequest.complete(request);
        for (int i = 0; i < responseHeaders.length; i += 2) {
            headers.add(responseHeaders[i], responseHeaders[i + 1]);
        }
        return true;
    }

    @Override
    public void opened(Channel channel, HandshakeRequest request, String subprotocol) {
        upgradedOnEventLoop.complete(channel.eventLoop().inEventLoop());
        pipelineWhenUpgraded.complete(names(channel));
        upgradedSubprotocol.complete(String.valueOf(subprotocol));
        channel.pipeline().addLast("received", received);
    }

    /** The pipeline's handler names without Netty's tail. */
    static List<String> names(Channel channel) {
        return channel.pipeline().names().stream().filter(n -> !n.contains("TailContext"))
                .collect(Collectors.toList());
    }
}
