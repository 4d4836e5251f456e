package dev.tally.billing.ledger;

import java.util.Locale;
import java.util.Optional;

/** A hold's state: {@code held} until it ends in exactly one of the three others. */
public enum HoldState {
    HELD, CAPTURED, RELEASED, EXPIRED;

    /** The name stored and sent on the wire. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<HoldState> fromWireName(String name) {
        for (HoldState state : values()) {
            if (state.wireName().equals(name)) {
                return Optional.of(state);
            }
        }
        return Optional.empty();
    }
}
