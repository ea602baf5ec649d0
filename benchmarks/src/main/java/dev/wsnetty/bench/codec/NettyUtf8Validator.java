package dev.wsnetty.bench.codec;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Netty's package-private {@code io.netty.handler.codec.http.websocketx.Utf8Validator}, reached through
 * constant method handles (Netty's jars are on the class path, in the unnamed module, so a private lookup
 * is allowed; the JIT inlines constant handles like direct calls). One instance is one validator, reused
 * across messages as Netty's {@code Utf8FrameValidator} reuses its own.
 */
public final class NettyUtf8Validator {
    private static final MethodHandle NEW;
    private static final MethodHandle CHECK;
    private static final MethodHandle FINISH;

    static {
        try {
            Class<?> type = Class.forName("io.netty.handler.codec.http.websocketx.Utf8Validator");
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
            NEW = lookup.findConstructor(type, MethodType.methodType(void.class))
                    .asType(MethodType.methodType(Object.class));
            CHECK = lookup.findVirtual(type, "check", MethodType.methodType(void.class, ByteBuf.class))
                    .asType(MethodType.methodType(void.class, Object.class, ByteBuf.class));
            FINISH = lookup.findVirtual(type, "finish", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("Netty's Utf8Validator is not where 4.2 keeps it: " + e);
        }
    }

    private final Object validator;

    /** A new validator. */
    public NettyUtf8Validator() {
        try {
            validator = (Object) NEW.invokeExact();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot create Netty's Utf8Validator", e);
        }
    }

    /**
     * Whether the readable bytes of {@code buf} are one complete valid UTF-8 message: {@code check}
     * over the bytes (Höhrmann DFA via {@code forEachByte}) then {@code finish}, as Netty does for a
     * final text frame. After a {@code false} answer the validator stays in its reject state, as
     * Netty's does; use a new one.
     */
    public boolean isValid(ByteBuf buf) {
        try {
            CHECK.invokeExact(validator, buf);
            FINISH.invokeExact(validator);
            return true;
        } catch (CorruptedWebSocketFrameException e) {
            return false;
        } catch (Throwable e) {
            throw new IllegalStateException("Netty's Utf8Validator failed unexpectedly", e);
        }
    }
}
