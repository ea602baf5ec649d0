package dev.wsnetty.netty.client;

import dev.wsnetty.CloseStatus;
import dev.wsnetty.HandshakeResponse;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Why a {@link ReconnectingClient} is not connected: the connection ended (with a close status, 1006 when TCP
 * dropped without a closing handshake), the server refused an attempt (with an HTTP status), or an attempt failed
 * without an answer (refused TCP connection, handshake timeout, TLS...). Immutable.
 */
public final class Disconnection {
    /** What happened. */
    public enum Kind {
        /** An open connection ended: {@link #closeStatus()}. */
        CLOSED,
        /** The server answered an attempt without upgrading: {@link #handshakeStatus()}, {@link #error()}. */
        REFUSED,
        /** An attempt got no answer: {@link #error()}. */
        FAILED
    }

    private final Kind kind;
    private final CloseStatus closeStatus;
    private final Throwable error;

    private Disconnection(Kind kind, CloseStatus closeStatus, Throwable error) {
        this.kind = kind;
        this.closeStatus = closeStatus;
        this.error = error;
    }

    /** An open connection that ended with {@code status}. */
    public static Disconnection closed(CloseStatus status) {
        return new Disconnection(Kind.CLOSED, Objects.requireNonNull(status, "status"), null);
    }

    /** An attempt the server refused. */
    public static Disconnection refused(WebSocketHandshakeRefusedException refusal) {
        return new Disconnection(Kind.REFUSED, null, Objects.requireNonNull(refusal, "refusal"));
    }

    /** An attempt that failed with {@code error}, or a reconnect hook that threw it. */
    public static Disconnection failed(Throwable error) {
        if (error instanceof WebSocketHandshakeRefusedException) {
            return refused((WebSocketHandshakeRefusedException) error);
        }
        return new Disconnection(Kind.FAILED, null, Objects.requireNonNull(error, "error"));
    }

    /** What happened. */
    public Kind kind() {
        return kind;
    }

    /** How the connection ended, for {@link Kind#CLOSED}. */
    public Optional<CloseStatus> closeStatus() {
        return Optional.ofNullable(closeStatus);
    }

    /** The HTTP status of the refusal, for {@link Kind#REFUSED}. */
    public OptionalInt handshakeStatus() {
        return kind == Kind.REFUSED ? OptionalInt.of(refusal().statusCode()) : OptionalInt.empty();
    }

    /** The server's answer, for {@link Kind#REFUSED}. */
    public Optional<HandshakeResponse> response() {
        return kind == Kind.REFUSED ? Optional.of(refusal().response()) : Optional.empty();
    }

    /**
     * The exception of a refused or failed attempt ({@link WebSocketHandshakeRefusedException},
     * {@link WebSocketConnectException}, {@link WebSocketHandshakeTimeoutException}, ...); empty for
     * {@link Kind#CLOSED}.
     */
    public Optional<Throwable> error() {
        return Optional.ofNullable(error);
    }

    private WebSocketHandshakeRefusedException refusal() {
        return (WebSocketHandshakeRefusedException) error;
    }

    /** For messages: "closed with code 1006 ...", "refused: ...", "failed: ...". */
    public String describe() {
        switch (kind) {
            case CLOSED:
                return "closed with " + closeStatus.describe();
            case REFUSED:
                return "refused: " + refusal().reason();
            default:
                return "failed: " + (error.getMessage() != null ? error.getMessage() : error.toString());
        }
    }

    @Override
    public String toString() {
        return "Disconnection[" + describe() + "]";
    }
}
