package dev.wsnetty.netty;

import dev.wsnetty.CloseCodes;
import dev.wsnetty.spi.InboundMemoryAccount;
import io.netty.util.internal.PlatformDependent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;

/**
 * A limit on the received bytes that all connections sharing it buffer at once: partial frames in the frame
 * decoder, messages being aggregated from fragments, and whole messages queued for a handler that has not taken
 * them yet. Without it, a few hundred connections that each stay inside the per-connection limits (a frame of
 * almost {@link WebSocketConfig#maxMessageSize()}, its last bytes withheld) exhaust the JVM's direct memory.
 * Thread-safe; one instance is shared by the connections it protects (a {@code WebSocketServer}'s, or any
 * pipeline's that {@code WebSocketPipeline.useInboundMemoryBudget} gives it to).
 *
 * <p>Each connection has an {@link Account}. Bytes are reserved when they are buffered and released when they are
 * handed on (a message passed whole to the application, a queued message taken) or dropped (the connection
 * closed). The common case costs nothing: a message that arrives whole in one read is never buffered, so never
 * counted; the decoder settles its account once per read, and only while something is unfinished.
 *
 * <table>
 *   <caption>What happens at which level of use</caption>
 *   <tr><th>level</th><th>default</th><th>action</th></tr>
 *   <tr><td>high-water mark</td><td>75% of the limit</td><td>a connection that reserves more while the total is
 *       at or above it and holds at least its fair share (the high-water mark divided by the connections holding
 *       bytes) stops reading (auto-read off): the connections holding the most stop growing, those holding little
 *       (a chat message, an echo) are served on</td></tr>
 *   <tr><td>low-water mark</td><td>50% of the limit</td><td>when the total falls to it, every paused connection
 *       reads again; the gap keeps sockets from being switched on and off for every message</td></tr>
 *   <tr><td>limit</td><td>{@link #defaultLimit()}</td><td>past it (reads already under way overshoot the
 *       high-water mark), the largest holders are closed with {@link CloseCodes#TRY_AGAIN_LATER 1013} and a reason
 *       until the total left is at the high-water mark</td></tr>
 * </table>
 *
 * <p>The counted bytes are payload bytes. The memory behind them is more (a slice pins the whole read buffer it
 * came from, pooled allocators keep free chunks), and the same memory also serves outbound data; hence the default
 * limit is a quarter of what the JVM allows.
 */
public final class InboundMemoryBudget {
    /** The high-water mark as a fraction of the limit: 0.75. */
    public static final double DEFAULT_HIGH_WATER_FRACTION = 0.75;
    /** The low-water mark as a fraction of the limit: 0.5. */
    public static final double DEFAULT_LOW_WATER_FRACTION = 0.5;
    /** The smallest default limit, 1 MiB: one message of the default {@link WebSocketConfig#maxMessageSize()}. */
    public static final long MIN_DEFAULT_LIMIT = 1 << 20;

    private final long limit;
    private final long highWaterMark;
    private final long lowWaterMark;
    /** Bytes reserved and not released by all accounts. */
    private final AtomicLong used = new AtomicLong();
    /** The accounts that have reserved bytes since they were opened (idle connections never join). */
    private final Set<Account> holders = ConcurrentHashMap.newKeySet();
    /** Accounts whose reading is paused; read without the lock to skip the resume scan when there are none. */
    private volatile int pausedCount;
    /** Bytes held by accounts closed for the budget whose connections have not ended yet; guarded by this. */
    private long evicting;

    private InboundMemoryBudget(long limit, long highWaterMark, long lowWaterMark) {
        this.limit = limit;
        this.highWaterMark = highWaterMark;
        this.lowWaterMark = lowWaterMark;
    }

    /**
     * A budget of {@code limitBytes} with the default water marks (75% and 50% of the limit).
     *
     * @param limitBytes at least 1024
     * @throws IllegalArgumentException if {@code limitBytes} is below 1024
     */
    public static InboundMemoryBudget of(long limitBytes) {
        if (limitBytes < 1024) {
            throw new IllegalArgumentException("inbound memory budget must be at least 1024 bytes, was " + limitBytes);
        }
        return of(limitBytes, (long) (limitBytes * DEFAULT_HIGH_WATER_FRACTION),
                (long) (limitBytes * DEFAULT_LOW_WATER_FRACTION));
    }

    /**
     * A budget with explicit water marks.
     *
     * @param limitBytes     above it, the largest holders are closed with 1013; at least 1
     * @param highWaterBytes at or above it, connections holding their fair share stop reading; 1 to the limit
     * @param lowWaterBytes  at or below it, they read again; 0 to {@code highWaterBytes - 1}
     * @throws IllegalArgumentException if the marks are not {@code 0 <= low < high <= limit}
     */
    public static InboundMemoryBudget of(long limitBytes, long highWaterBytes, long lowWaterBytes) {
        if (limitBytes < 1 || highWaterBytes < 1 || highWaterBytes > limitBytes || lowWaterBytes < 0
                || lowWaterBytes >= highWaterBytes) {
            throw new IllegalArgumentException("inbound memory budget needs 0 <= lowWater < highWater <= limit, got"
                    + " limit=" + limitBytes + " highWater=" + highWaterBytes + " lowWater=" + lowWaterBytes);
        }
        return new InboundMemoryBudget(limitBytes, highWaterBytes, lowWaterBytes);
    }

    /**
     * The budget every connection without one of its own shares, of {@link #defaultLimit()} bytes: one per JVM,
     * because the memory it protects is the JVM's.
     */
    public static InboundMemoryBudget shared() {
        return Shared.BUDGET;
    }

    /**
     * The default limit: a quarter of the smaller of the JVM's direct memory limit (as Netty sees it,
     * {@code -XX:MaxDirectMemorySize}, by default the maximum heap) and its maximum heap, at least
     * {@link #MIN_DEFAULT_LIMIT}. Buffered frames live in direct memory, queued messages on the heap; a quarter
     * leaves room for what the counted bytes pin beyond themselves, for outbound data and for the application.
     * With {@code -Xmx256m}: 64 MiB.
     */
    public static long defaultLimit() {
        long direct = PlatformDependent.maxDirectMemory();
        long heap = Runtime.getRuntime().maxMemory();
        long smaller = Math.min(direct > 0 ? direct : heap, heap > 0 && heap != Long.MAX_VALUE ? heap : direct);
        return Math.max(MIN_DEFAULT_LIMIT, smaller / 4);
    }

    /** Above this many bytes the largest holders are closed with 1013. */
    public long limit() {
        return limit;
    }

    /** At or above this many bytes, connections holding their fair share stop reading. */
    public long highWaterMark() {
        return highWaterMark;
    }

    /** At or below this many bytes, paused connections read again. */
    public long lowWaterMark() {
        return lowWaterMark;
    }

    /** The bytes buffered now by all connections sharing this budget. */
    public long used() {
        return used.get();
    }

    /**
     * Opens the account of one connection.
     *
     * @param connection what the budget asks of the connection: pause, resume, close
     * @return the account, to be {@link Account#close() closed} when the connection ends
     */
    public Account open(Connection connection) {
        return new Account(this, Objects.requireNonNull(connection, "connection"));
    }

    @Override
    public String toString() {
        return "InboundMemoryBudget{limit=" + limit + ", highWater=" + highWaterMark + ", lowWater=" + lowWaterMark
                + ", used=" + used.get() + '}';
    }

    /** What the budget asks of a connection. Called from any thread, possibly under the budget's lock: never block. */
    public interface Connection {
        /** Stop reading from the socket (bytes already read are still decoded). */
        void pauseReading();

        /** Read again. */
        void resumeReading();

        /**
         * Close the connection with {@link CloseCodes#TRY_AGAIN_LATER 1013} and {@code reason}, dropping what it
         * buffered; its account is then {@link Account#close() closed}.
         *
         * @param reason the close reason, under 123 bytes of UTF-8
         */
        void closeForBudget(String reason);
    }

    /**
     * One connection's bytes in the budget. {@link #reserve} and {@link #release} are lock-free (one compare and
     * set on the account, one atomic add on the budget) unless the total is past a water mark; they may be called
     * from any thread. After {@link #close()} they are ignored.
     */
    public static final class Account implements InboundMemoryAccount {
        private static final AtomicLongFieldUpdater<Account> HELD =
                AtomicLongFieldUpdater.newUpdater(Account.class, "held");
        private static final long CLOSED = -1;

        private final InboundMemoryBudget budget;
        private final Connection connection;
        /** Bytes reserved and not released; {@link #CLOSED} once closed. */
        private volatile long held;
        /** Whether this account is in the budget's holders. */
        private volatile boolean registered;
        // Guarded by the budget.
        private boolean paused;
        private boolean evicted;
        private long evictedHeld;

        private Account(InboundMemoryBudget budget, Connection connection) {
            this.budget = budget;
            this.connection = connection;
        }

        /** {@inheritDoc} Pauses this connection, or closes the largest holders, when the total calls for it. */
        @Override
        public void reserve(long bytes) {
            if (bytes <= 0) {
                return;
            }
            if (changeHeld(bytes) == CLOSED) {
                return;
            }
            if (!registered) {
                registered = true;
                budget.holders.add(this);
                if (held == CLOSED) {
                    budget.holders.remove(this); // closed meanwhile: close() may have missed us
                }
            }
            long total = budget.used.addAndGet(bytes);
            if (total >= budget.highWaterMark) {
                budget.onPressure(this, total);
            }
        }

        /** {@inheritDoc} Resumes the paused connections when the total falls to the low-water mark. */
        @Override
        public void release(long bytes) {
            if (bytes <= 0) {
                return;
            }
            long h = changeHeld(-bytes);
            if (h == CLOSED) {
                return;
            }
            long total = budget.used.addAndGet(-Math.min(h, bytes));
            if (total <= budget.lowWaterMark && budget.pausedCount > 0) {
                budget.resumeAll();
            }
        }

        /** Adds {@code delta} to what is held (never below 0) unless closed; returns what was held before, or CLOSED. */
        private long changeHeld(long delta) {
            long h;
            do {
                h = held;
                if (h == CLOSED) {
                    return CLOSED;
                }
            } while (!HELD.compareAndSet(this, h, Math.max(0, h + delta)));
            return h;
        }

        /** The bytes this connection holds; 0 once closed. */
        public long held() {
            return Math.max(0, held);
        }

        /** Whether the budget has paused this connection's reading. */
        public boolean isPaused() {
            synchronized (budget) {
                return paused;
            }
        }

        /** Releases everything this connection holds and leaves the budget; once, later calls do nothing. */
        public void close() {
            long h = HELD.getAndSet(this, CLOSED);
            if (h == CLOSED) {
                return;
            }
            budget.holders.remove(this);
            long total = budget.used.addAndGet(-h);
            synchronized (budget) {
                if (evicted) {
                    budget.evicting -= evictedHeld;
                }
                if (paused) {
                    paused = false;
                    budget.pausedCount--;
                }
            }
            if (total <= budget.lowWaterMark && budget.pausedCount > 0) {
                budget.resumeAll();
            }
        }
    }

    /** The total reached the high-water mark after {@code account} reserved more. */
    private void onPressure(Account account, long total) {
        if (total > limit) {
            closeLargestHolders();
        }
        // The fair share: what each connection holding bytes could hold if they shared the high-water mark.
        long fairShare = highWaterMark / Math.max(1, holders.size());
        if (account.held() >= fairShare) {
            synchronized (this) {
                if (!account.paused && !account.evicted && account.held != Account.CLOSED) {
                    account.paused = true;
                    pausedCount++;
                    account.connection.pauseReading();
                }
            }
        }
    }

    /** Closes the largest holders with 1013 until what the others hold is at the high-water mark. */
    private void closeLargestHolders() {
        List<Account> closing = new ArrayList<>();
        synchronized (this) {
            if (used.get() - evicting <= limit) {
                return; // closed enough already: their connections have not ended yet
            }
            for (Account account : largestFirst(holders)) {
                if (used.get() - evicting <= highWaterMark) {
                    break;
                }
                account.evicted = true;
                account.evictedHeld = account.held();
                evicting += account.evictedHeld;
                closing.add(account);
            }
        }
        for (Account account : closing) {
            account.connection.closeForBudget("server over its inbound memory budget; connection held "
                    + account.evictedHeld + " bytes");
        }
    }

    /** The open accounts not being closed yet that hold bytes, the largest first. */
    private static List<Account> largestFirst(Set<Account> accounts) {
        // Sizes read once, before sorting: they may change meanwhile.
        List<Holding> holdings = new ArrayList<>(accounts.size());
        for (Account account : accounts) {
            long held = account.held();
            if (!account.evicted && held > 0) {
                holdings.add(new Holding(account, held));
            }
        }
        holdings.sort(Comparator.comparingLong(Holding::held).reversed());
        List<Account> sorted = new ArrayList<>(holdings.size());
        for (Holding holding : holdings) {
            sorted.add(holding.account());
        }
        return sorted;
    }

    /** An account and what it held when looked at. */
    private record Holding(Account account, long held) {
    }

    /** Lets every paused connection read again, if the total is still at or below the low-water mark. */
    private void resumeAll() {
        synchronized (this) {
            if (used.get() > lowWaterMark || pausedCount == 0) {
                return;
            }
            for (Account account : holders) {
                if (account.paused) {
                    account.paused = false;
                    pausedCount--;
                    account.connection.resumeReading();
                }
            }
        }
    }

    /** The JVM-wide default budget, made on first use. */
    private static final class Shared {
        static final InboundMemoryBudget BUDGET = of(defaultLimit());
    }
}
