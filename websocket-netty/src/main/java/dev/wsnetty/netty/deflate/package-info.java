/**
 * permessage-deflate (RFC 7692): the agreed parameters, their negotiation in the opening handshake and the
 * handler that compresses and inflates messages.
 */
package dev.wsnetty.netty.deflate;
