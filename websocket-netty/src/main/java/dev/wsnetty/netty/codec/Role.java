package dev.wsnetty.netty.codec;

/**
 * Which end of the connection a handler serves. It decides masking (RFC 6455 §5.1): clients mask every
 * frame they send and servers never do; each side rejects frames that break that rule with close 1002.
 */
public enum Role {
    /** The accepting side: expects masked frames, sends unmasked ones, closes TCP first. */
    SERVER,
    /** The connecting side: expects unmasked frames, sends masked ones. */
    CLIENT
}
