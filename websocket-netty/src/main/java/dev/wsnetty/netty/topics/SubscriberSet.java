package dev.wsnetty.netty.topics;

/**
 * The subscribers of one topic on one event loop: an open-addressing identity set (linear probing, at most half
 * full), so that a member costs 4 to 8 bytes of array rather than a hash map node. Used only on its event loop.
 */
final class SubscriberSet {
    private static final Subscriber[] EMPTY = new Subscriber[0];

    private Subscriber[] slots = EMPTY;
    private int size;

    /** Adds {@code s}; false if it was a member already. */
    boolean add(Subscriber s) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int mask = slots.length - 1;
        for (int i = s.hash & mask; ; i = (i + 1) & mask) {
            Subscriber at = slots[i];
            if (at == null) {
                slots[i] = s;
                size++;
                return true;
            }
            if (at == s) {
                return false;
            }
        }
    }

    /** Removes {@code s}; false if it was not a member. Shifts the following run back so that no probe breaks. */
    boolean remove(Subscriber s) {
        if (size == 0) {
            return false;
        }
        int mask = slots.length - 1;
        int i = s.hash & mask;
        while (slots[i] != s) {
            if (slots[i] == null) {
                return false;
            }
            i = (i + 1) & mask;
        }
        slots[i] = null;
        size--;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            Subscriber moved = slots[j];
            int home = moved.hash & mask;
            // Moved back into the hole when its home is not within (hole, j]: its probe passed the hole.
            if (((j - home) & mask) >= ((j - i) & mask)) {
                slots[i] = moved;
                slots[j] = null;
                i = j;
            }
        }
        if (size == 0) {
            slots = EMPTY; // an emptied topic shard holds no array
        }
        return true;
    }

    /** How many members it has. */
    int size() {
        return size;
    }

    /** The slots, for a loop over them without a lambda on the delivery path; nulls are holes. */
    Subscriber[] slots() {
        return slots;
    }

    private void grow() {
        Subscriber[] old = slots;
        slots = new Subscriber[Math.max(4, old.length * 2)];
        size = 0;
        for (Subscriber s : old) {
            if (s != null) {
                add(s);
            }
        }
    }
}
