package dev.tally.billing.ledger;

/**
 * Why an entry exists. The kind decides the entry's direction: usage and the expiry of a grant's
 * remainder (DESIGN §13) debit, grants and reverts credit.
 */
public enum EntryKind {
    USAGE("usage", EntryType.DEBIT),
    GRANT("grant", EntryType.CREDIT),
    REVERT("revert", EntryType.CREDIT),
    EXPIRY("expiry", EntryType.DEBIT);

    /** values() copies its array on every call, and a page looks a kind up per row. */
    private static final EntryKind[] KINDS = values();

    private final String storedName;
    private final EntryType type;

    EntryKind(String storedName, EntryType type) {
        this.storedName = storedName;
        this.type = type;
    }

    public String storedName() {
        return storedName;
    }

    public EntryType type() {
        return type;
    }

    static EntryKind fromStoredName(String name) {
        for (EntryKind kind : KINDS) {
            if (kind.storedName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalStateException("unknown entry kind in the ledger: " + name);
    }
}
