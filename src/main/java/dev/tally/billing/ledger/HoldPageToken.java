package dev.tally.billing.ledger;

import dev.tally.common.PageCursor;
import dev.tally.common.PageTokens;

import java.time.Instant;
import java.util.UUID;

/**
 * Where a page of holds ends: the last hold's (created_at, id), and the account the list is of.
 * The token is a {@link PageTokens} token bound to the account and to the hold list, so that it is
 * refused on another account or on another of the account's lists (its transaction history) with
 * the 400 every paged list answers.
 */
record HoldPageToken(UUID accountId, Instant createdAt, UUID id) {
    /**
     * The list the token belongs to. The state filter is not bound, as it was not before the token
     * moved to PageTokens (HoldService passes only the account); the keyset order holds either way.
     */
    private static final String HOLD_LIST = "holds";

    String encode() {
        return PageTokens.encode(binding(accountId), new PageCursor(createdAt, id));
    }

    static HoldPageToken decode(String token, UUID expectedAccount) {
        PageCursor cursor = PageTokens.decode(token, binding(expectedAccount));
        return new HoldPageToken(expectedAccount, cursor.createdAt(), cursor.id());
    }

    private static PageTokens.Binding binding(UUID accountId) {
        return new PageTokens.Binding(accountId, "issued for another billing account", HOLD_LIST,
                "not a token of the hold list");
    }
}
