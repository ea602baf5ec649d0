package dev.wsnetty.netty.internal;

import dev.wsnetty.netty.InboundMemoryBudget;
import dev.wsnetty.spi.InboundMemoryAccount;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Where a connection finds its inbound memory budget and its account in it: channel attributes, so that the
 * server (or an application's pipeline) sets the budget once per channel, the frame decoder opens the account,
 * and the communicator's queue uses the same account, without passing them through the handshake.
 */
public final class InboundBudgets {
    /** The budget of the channel's connection; absent for {@link InboundMemoryBudget#shared()}. */
    public static final AttributeKey<InboundMemoryBudget> BUDGET =
            AttributeKey.valueOf(InboundBudgets.class, "budget");
    /** The connection's account, opened by its frame decoder. */
    public static final AttributeKey<InboundMemoryBudget.Account> ACCOUNT =
            AttributeKey.valueOf(InboundBudgets.class, "account");

    private InboundBudgets() {
    }

    /** The channel's budget, or the JVM-wide one when none was set. */
    public static InboundMemoryBudget budgetOf(Channel channel) {
        InboundMemoryBudget budget = channel.attr(BUDGET).get();
        return budget != null ? budget : InboundMemoryBudget.shared();
    }

    /** The account the channel's frame decoder opened, or {@link InboundMemoryAccount#NONE} without a decoder. */
    public static InboundMemoryAccount accountOf(Channel channel) {
        InboundMemoryAccount account = channel.attr(ACCOUNT).get();
        return account != null ? account : InboundMemoryAccount.NONE;
    }
}
