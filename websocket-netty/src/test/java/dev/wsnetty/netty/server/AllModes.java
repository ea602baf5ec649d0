package dev.wsnetty.netty.server;

import dev.wsnetty.netty.testing.HandlerKind;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.stream.Stream;

/**
 * Runs a test once per combination of accepting method (DEFAULT: accept on the event loop; THREAD_POOL: on the
 * server's pool) and handler kind (plain, threaded); the test method takes both as parameters.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@ParameterizedTest(name = "{0} accepting, {1} handler")
@MethodSource("dev.wsnetty.netty.server.AllModes$Source#modes")
@interface AllModes {
    /** The combinations. */
    final class Source {
        private Source() {
        }

        static Stream<Arguments> modes() {
            return Stream.of(
                    Arguments.of(AcceptingMethod.DEFAULT, HandlerKind.PLAIN),
                    Arguments.of(AcceptingMethod.DEFAULT, HandlerKind.THREADED),
                    Arguments.of(AcceptingMethod.THREAD_POOL, HandlerKind.PLAIN),
                    Arguments.of(AcceptingMethod.THREAD_POOL, HandlerKind.THREADED));
        }
    }
}
