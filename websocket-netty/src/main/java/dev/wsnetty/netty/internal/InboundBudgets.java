package dev.wsnetty.netty.internal;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.spi.InboundMemoryAccount;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.util.AttributeKey;

/**
 * Where a connection finds its inbound memory budget and its account in it: the budget is a channel attribute, so
 * that the server (or an application's pipeline) sets it once per channel; the account is kept by the frame decoder
 * (an {@link AccountKeeper}), which opens it on first use, and the communicator's queue finds the same account
 * through the pipeline when its first message is queued, without passing it through the handshake. A connection
 * that never leaves a frame unfinished and never has a message queued never opens one.
 */
public final class InboundBudgets {
    /** The budget of the channel's connection; absent for {@link InboundMemoryBudget#shared()}. */
    public static final AttributeKey<InboundMemoryBudget> BUDGET =
            AttributeKey.valueOf(InboundBudgets.class, "budget");

    private InboundBudgets() {
    }

    /** The handler that keeps a connection's account: its frame decoder. */
    public interface AccountKeeper extends ChannelHandler {
        /** The connection's account, opened on the first call. Call on the channel's event loop. */
        InboundMemoryBudget.Account inboundAccount();
    }

    /** The channel's budget, or the JVM-wide one when none was set. */
    public static InboundMemoryBudget budgetOf(Channel channel) {
        // hasAttr first: attr() would add an empty attribute (24 bytes, and the map's array) to every channel.
        InboundMemoryBudget budget = channel.hasAttr(BUDGET) ? channel.attr(BUDGET).get() : null;
        return budget != null ? budget : InboundMemoryBudget.shared();
    }

    /**
     * The account of the channel's frame decoder, opened now if it was not yet, or {@link InboundMemoryAccount#NONE}
     * without a decoder. Call on the channel's event loop.
     */
    public static InboundMemoryAccount accountOf(Channel channel) {
        AccountKeeper keeper = channel.pipeline().get(AccountKeeper.class);
        return keeper != null ? keeper.inboundAccount() : InboundMemoryAccount.NONE;
    }
}
