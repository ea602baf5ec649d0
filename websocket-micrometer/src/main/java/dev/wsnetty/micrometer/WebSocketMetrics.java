package dev.wsnetty.micrometer;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.netty.stats.StatisticsSnapshot;
import dev.wsnetty.netty.stats.WebSocketStatistics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Exposes a {@link WebSocketStatistics} (a {@code WebSocketServer}'s, or {@link WebSocketStatistics#allClients()})
 * to Micrometer. Every meter reads a fresh {@link WebSocketStatistics#snapshot()} when the registry asks, so
 * nothing is counted twice and nothing runs between scrapes.
 *
 * <table>
 *   <caption>Meters (all with the binder's tags)</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@code wsnetty.connections.open}</td><td>gauge</td><td></td><td>WebSocket connections open now</td></tr>
 *   <tr><td>{@code wsnetty.connections.opened}</td><td>counter</td><td></td><td>connections opened in all</td></tr>
 *   <tr><td>{@code wsnetty.handshakes.accepted}</td><td>counter</td><td></td><td>handshakes answered with 101</td></tr>
 *   <tr><td>{@code wsnetty.handshakes.refused}</td><td>counter</td><td>{@code status}: 400, 403, 404, 408, 426,
 *       431, 503, {@code none} (client without a valid response), {@code other}</td><td>refused handshakes</td></tr>
 *   <tr><td>{@code wsnetty.messages}</td><td>counter</td><td>{@code direction}: in, out</td><td>data messages</td></tr>
 *   <tr><td>{@code wsnetty.payload}</td><td>counter (bytes)</td><td>{@code direction}: in, out</td><td>payload
 *       bytes of data frames, uncompressed</td></tr>
 *   <tr><td>{@code wsnetty.close.frames}</td><td>counter</td><td>{@code direction}: sent, received; {@code code}:
 *       the RFC 6455 codes 1000-1015 or {@code other}</td><td>Close frames</td></tr>
 *   <tr><td>{@code wsnetty.inbound.memory}</td><td>gauge (bytes)</td><td></td><td>received bytes not yet taken by
 *       the application</td></tr>
 *   <tr><td>{@code wsnetty.topics.subscriptions}</td><td>gauge</td><td></td><td>topic subscriptions</td></tr>
 *   <tr><td>{@code wsnetty.topics.dropped}</td><td>counter</td><td></td><td>messages the slow-subscriber policy
 *       dropped</td></tr>
 * </table>
 */
public final class WebSocketMetrics implements MeterBinder {
    /** The refusal statuses with a meter of their own; the others add up under {@code status=other}. */
    static final Set<Integer> REFUSAL_STATUSES = Set.of(400, 403, 404, 408, 426, 431, 503,
            StatisticsSnapshot.NO_RESPONSE);
    /** The close codes with a meter of their own (RFC 6455 §7.4.1 and the IANA registry up to 1015). */
    static final Set<Integer> CLOSE_CODES = Set.of(CloseCodes.NORMAL_CLOSURE, CloseCodes.GOING_AWAY,
            CloseCodes.PROTOCOL_ERROR, 1003, CloseCodes.NO_STATUS_RECEIVED, CloseCodes.ABNORMAL_CLOSURE, 1007,
            1008, 1009, 1010, CloseCodes.INTERNAL_ERROR, 1012, 1013, 1014, 1015);

    private final WebSocketStatistics statistics;
    private final Tags tags;

    /**
     * @param statistics what to expose, e.g. {@code server.statistics()}
     * @param tags       added to every meter, e.g. {@code Tags.of("server", "chat")}; may be empty
     */
    public WebSocketMetrics(WebSocketStatistics statistics, Iterable<Tag> tags) {
        this.statistics = Objects.requireNonNull(statistics, "statistics");
        this.tags = Tags.of(tags);
    }

    /** Registers the meters of the class comment in {@code registry}. */
    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "wsnetty.connections.open", null, "WebSocket connections open now",
                StatisticsSnapshot::connectionsOpen);
        counter(registry, "wsnetty.connections.opened", Tags.empty(), null, "WebSocket connections opened",
                StatisticsSnapshot::connectionsOpened);
        counter(registry, "wsnetty.handshakes.accepted", Tags.empty(), null, "handshakes answered with 101",
                StatisticsSnapshot::handshakesAccepted);
        for (int status : REFUSAL_STATUSES) {
            String value = status == StatisticsSnapshot.NO_RESPONSE ? "none" : Integer.toString(status);
            counter(registry, "wsnetty.handshakes.refused", Tags.of("status", value), null, "refused handshakes",
                    s -> s.handshakesRefused().getOrDefault(status, 0L));
        }
        counter(registry, "wsnetty.handshakes.refused", Tags.of("status", "other"), null, "refused handshakes",
                s -> others(s.handshakesRefused(), REFUSAL_STATUSES));
        counter(registry, "wsnetty.messages", Tags.of("direction", "in"), null, "data messages",
                StatisticsSnapshot::messagesIn);
        counter(registry, "wsnetty.messages", Tags.of("direction", "out"), null, "data messages",
                StatisticsSnapshot::messagesOut);
        counter(registry, "wsnetty.payload", Tags.of("direction", "in"), BaseUnits.BYTES,
                "payload bytes of data frames", StatisticsSnapshot::bytesIn);
        counter(registry, "wsnetty.payload", Tags.of("direction", "out"), BaseUnits.BYTES,
                "payload bytes of data frames", StatisticsSnapshot::bytesOut);
        closeCodes(registry, "sent", StatisticsSnapshot::closeCodesSent);
        closeCodes(registry, "received", StatisticsSnapshot::closeCodesReceived);
        gauge(registry, "wsnetty.inbound.memory", BaseUnits.BYTES, "received bytes not yet taken by the application",
                StatisticsSnapshot::inboundMemoryUsed);
        gauge(registry, "wsnetty.topics.subscriptions", null, "topic subscriptions",
                StatisticsSnapshot::topicSubscriptions);
        counter(registry, "wsnetty.topics.dropped", Tags.empty(), null,
                "messages the slow-subscriber policy dropped", StatisticsSnapshot::topicMessagesDropped);
    }

    private void closeCodes(MeterRegistry registry, String direction,
                            Function<StatisticsSnapshot, Map<Integer, Long>> counts) {
        for (int code : CLOSE_CODES) {
            counter(registry, "wsnetty.close.frames", Tags.of("direction", direction, "code", Integer.toString(code)),
                    null, "Close frames", s -> counts.apply(s).getOrDefault(code, 0L));
        }
        counter(registry, "wsnetty.close.frames", Tags.of("direction", direction, "code", "other"), null,
                "Close frames", s -> others(counts.apply(s), CLOSE_CODES));
    }

    private void gauge(MeterRegistry registry, String name, String unit, String description,
                       ToDoubleFunction<StatisticsSnapshot> value) {
        Gauge.builder(name, statistics, st -> value.applyAsDouble(st.snapshot()))
                .tags(tags).baseUnit(unit).description(description).register(registry);
    }

    private void counter(MeterRegistry registry, String name, Tags own, String unit, String description,
                         ToDoubleFunction<StatisticsSnapshot> value) {
        FunctionCounter.builder(name, statistics, st -> value.applyAsDouble(st.snapshot()))
                .tags(tags.and(own)).baseUnit(unit).description(description).register(registry);
    }

    private static long others(Map<Integer, Long> counts, Set<Integer> own) {
        long sum = 0;
        for (Map.Entry<Integer, Long> e : counts.entrySet()) {
            if (!own.contains(e.getKey())) {
                sum += e.getValue();
            }
        }
        return sum;
    }
}
