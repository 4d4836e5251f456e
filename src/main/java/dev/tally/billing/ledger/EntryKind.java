package dev.tally.billing.ledger;

/** Why an entry exists. The kind decides the entry's direction: only usage debits. */
public enum EntryKind {
    USAGE("usage", EntryType.DEBIT),
    GRANT("grant", EntryType.CREDIT),
    REVERT("revert", EntryType.CREDIT);

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
        for (EntryKind kind : values()) {
            if (kind.storedName.equals(name)) {
                return kind;
            }
        }
        throw new IllegalStateException("unknown entry kind in the ledger: " + name);
    }
}
