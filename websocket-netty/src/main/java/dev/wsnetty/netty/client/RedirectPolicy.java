package dev.wsnetty.netty.client;

/**
 * Whether a {@link WebSocketClient} follows redirects of its upgrade request, and how many in a row. Off by
 * default ({@link #NONE}): a redirect is then a refusal whose reason says where the server redirects to.
 * Immutable.
 *
 * <p>When on, the client follows 301, 302, 303, 307 and 308 answers that carry a {@code Location} (absolute, or
 * relative to the request's URI; {@code http://} counts as {@code ws://} and {@code https://} as {@code wss://}),
 * each with a new request and a new key, always a GET as the upgrade is. It never goes from wss to ws, and stops
 * after {@link #maxRedirects()}; both are a {@link WebSocketRedirectException}. Custom headers go along, except
 * that to another origin (scheme, host or port) {@code Authorization}, {@code Proxy-Authorization} and
 * {@code Cookie} are dropped, as browsers do (the Fetch standard's redirect step drops {@code Authorization};
 * cookies belong to a host), and a custom {@code Host} is dropped when host or port change. Subprotocols,
 * {@code Origin} and the config go along unchanged.
 */
public final class RedirectPolicy {
    /** How many redirects in a row {@link #follow()} allows: 5. */
    public static final int DEFAULT_MAX_REDIRECTS = 5;
    /** The most {@link #follow(int)} accepts: 20, as browsers allow. */
    public static final int MAX_REDIRECTS_LIMIT = 20;

    /** Redirects are not followed (the default). */
    public static final RedirectPolicy NONE = new RedirectPolicy(0);

    private final int maxRedirects;

    private RedirectPolicy(int maxRedirects) {
        this.maxRedirects = maxRedirects;
    }

    /** Follow up to {@link #DEFAULT_MAX_REDIRECTS} redirects in a row. */
    public static RedirectPolicy follow() {
        return new RedirectPolicy(DEFAULT_MAX_REDIRECTS);
    }

    /**
     * Follow up to {@code maxRedirects} redirects in a row.
     *
     * @param maxRedirects 1 to {@value #MAX_REDIRECTS_LIMIT}
     * @throws IllegalArgumentException if it is out of range
     */
    public static RedirectPolicy follow(int maxRedirects) {
        if (maxRedirects < 1 || maxRedirects > MAX_REDIRECTS_LIMIT) {
            throw new IllegalArgumentException("maxRedirects must be between 1 and " + MAX_REDIRECTS_LIMIT
                    + ", was " + maxRedirects + " (RedirectPolicy.NONE follows none)");
        }
        return new RedirectPolicy(maxRedirects);
    }

    /** Whether redirects are followed at all. */
    public boolean follows() {
        return maxRedirects > 0;
    }

    /** How many redirects in a row are followed; 0 for {@link #NONE}. */
    public int maxRedirects() {
        return maxRedirects;
    }

    /** Whether {@code status} is a redirect this policy would follow: 301, 302, 303, 307 or 308. */
    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RedirectPolicy && ((RedirectPolicy) o).maxRedirects == maxRedirects;
    }

    @Override
    public int hashCode() {
        return maxRedirects;
    }

    @Override
    public String toString() {
        return follows() ? "RedirectPolicy[follow up to " + maxRedirects + "]" : "RedirectPolicy[none]";
    }
}
