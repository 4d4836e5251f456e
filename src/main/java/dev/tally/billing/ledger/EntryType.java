package dev.tally.billing.ledger;

/** The direction of an entry, as Frontier names it on the wire. */
public enum EntryType {
    DEBIT("debit"),
    CREDIT("credit");

    private final String wireName;

    EntryType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
