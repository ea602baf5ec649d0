package dev.wsnetty.netty.handshake;

import dev.wsnetty.testing.Await;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The routing rules of the original's RegisterHandler (seed-behaviour §3.2), on the router alone. */
class HandlerRouterTest {
    /** The registrations of the observed routing table: ('MyHost','/A',H1); ('MyHost','/B',H2,path); ('other','/x',H3,host). */
    static HandlerRouter<String> seedTable() {
        return seedTable(name -> name);
    }

    /** The registrations of the observed routing table, with {@code endpoint} making the endpoint named H1, H2, H3. */
    static <T> HandlerRouter<T> seedTable(Function<String, T> endpoint) {
        HandlerRouter<T> router = new HandlerRouter<>();
        router.register("MyHost", "/A", endpoint.apply("H1"));
        router.register("MyHost", "/B", endpoint.apply("H2"), false, true);
        router.register("other", "/x", endpoint.apply("H3"), true, false);
        return router;
    }

    /** The observed routing table of the original: Host, path, and the endpoint routed to (404 for none). */
    static Stream<Arguments> observedRoutes() {
        return Stream.of(
                Arguments.of("MyHost", "/A", "H1"),
                Arguments.of("myhost", "/A", "404"),
                Arguments.of("MyHost", "/a", "H2"),
                Arguments.of("MyHost", "/A?q=1", "H2"),
                Arguments.of("MyHost", "/zzz", "H2"),
                Arguments.of("MyHost:18973", "/A", "404"),
                Arguments.of("nohost", "/x", "H3"),
                Arguments.of("other", "/x", "H3"),
                Arguments.of("nohost", "/A", "404"),
                Arguments.of("other", "/A", "404"));
    }

    @ParameterizedTest(name = "Host {0}, path {1} -> {2}")
    @MethodSource("observedRoutes")
    void reproducesTheObservedRoutingTable(String host, String path, String expected) {
        String routed = seedTable().route(host, path);
        assertEquals(expected, routed == null ? "404" : routed);
    }

    /** A request without a Host value is routed as one for an unknown host. */
    @Test
    void anEmptyHostIsRoutedAsAnUnknownOne() {
        assertEquals("H3", seedTable().route("", "/x"));
    }

    @Test
    void reRegisteringReplacesAndReturnsThePreviousEndpoint() {
        HandlerRouter<String> router = seedTable();
        assertEquals("H1", router.register("MyHost", "/A", "H1b"));
        assertEquals("H1b", router.route("MyHost", "/A"));
        assertNull(router.register("MyHost", "/new", "N"));
    }

    @Test
    void theDefaultPathFollowsARegistrationThatReplacesIt() {
        HandlerRouter<String> router = seedTable();
        router.register("MyHost", "/B", "H2b");
        assertEquals("H2b", router.route("MyHost", "/zzz"));
    }

    @Test
    void laterDefaultsReplaceEarlierOnes() {
        HandlerRouter<String> router = seedTable();
        router.register("MyHost", "/C", "H4", true, true);
        assertEquals("H4", router.route("MyHost", "/zzz"));
        assertEquals("H4", router.route("nohost", "/zzz"));
        assertEquals("H4", router.route("nohost", "/x"), "unknown host -> MyHost, which has no /x -> its default path");
    }

    @Test
    void starIsAnOrdinaryString() {
        HandlerRouter<String> router = new HandlerRouter<>();
        router.register("*", "*", "E");
        assertNull(router.route("example.com", "/"));
        assertEquals("E", router.route("*", "*"));
        router.register("*", "*", "E", true, true);
        assertEquals("E", router.route("example.com", "/anything"));
    }

    @Test
    void unregisterRemovesOneRouteAndLeavesDefaultsPointingAtNothing() {
        HandlerRouter<String> router = seedTable();
        assertEquals("H2", router.unregister("MyHost", "/B"));
        assertNull(router.route("MyHost", "/zzz"));
        assertEquals("H1", router.route("MyHost", "/A"));
        assertNull(router.unregister("MyHost", "/B"));
        assertNull(router.unregister("unknown", "/B"));
    }

    @Test
    void listsEachEndpointOnce() {
        HandlerRouter<String> router = seedTable();
        String shared = new String("S");
        router.register("a", "/1", shared);
        router.register("b", "/2", shared);
        List<String> endpoints = router.endpoints();
        assertEquals(4, endpoints.size());
        assertTrue(endpoints.containsAll(List.of("H1", "H2", "H3", "S")));
    }

    @Test
    void rejectsNulls() {
        HandlerRouter<String> router = new HandlerRouter<>();
        assertThrows(NullPointerException.class, () -> router.register(null, "/", "E"));
        assertThrows(NullPointerException.class, () -> router.register("h", null, "E"));
        assertThrows(NullPointerException.class, () -> router.register("h", "/", null));
    }

    @Test
    void routesWhileAnotherThreadRegisters() throws Exception {
        HandlerRouter<String> router = seedTable();
        CompletableFuture<Void> registering = CompletableFuture.runAsync(() -> {
            for (int i = 0; i < 300; i++) {
                router.register("MyHost", "/p" + i, "P" + i);
                router.register("host" + i, "/x", "X" + i);
            }
        });
        while (!registering.isDone()) {
            assertSame("H1", router.route("MyHost", "/A"));
            assertSame("H3", router.route("nohost", "/x"));
        }
        registering.get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        assertEquals("P299", router.route("MyHost", "/p299"));
    }
}
