package dev.tally.billing.ledger;

/** A grant's state as the grants list shows it (DESIGN §13). */
public enum GrantState {
    ACTIVE("active"),
    SPENT("spent"),
    EXPIRED("expired");

    private final String wireName;

    GrantState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
