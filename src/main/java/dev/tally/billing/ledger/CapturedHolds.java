package dev.tally.billing.ledger;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The holds a usage group's captures name (DESIGN §12, ADR 0010): as their callers know them,
 * which costs no statement, or locked, once a capture decided from them missed its guard. What a
 * capture then decides is {@link GroupDecision}'s; writing the captures is {@link UsageGroup}'s.
 */
final class CapturedHolds {
    private final HoldRepository holds;

    CapturedHolds(HoldRepository holds) {
        this.holds = holds;
    }

    /**
     * The captured holds as their callers know them, which costs no statement: a capture is decided
     * from this, and the captures' guarded UPDATE ({@code state = 'held' AND expires_at > at}) is
     * the judge. Why exactly one terminal state still holds (DESIGN §12, ADR 0010):
     * <ul>
     * <li>A hold's account, amount and debit fields never change, so only its state can be stale.
     * <li>Captured, released and a stored expired are terminal, and a held row past expires_at is
     * expired for good ({@link Hold#stateAt}): a known hold in one of those states is answered as
     * it is. Only one that is held but past {@code at} in memory is read again (unlocked; it may
     * have been captured or released before it expired, and those answers differ).
     * <li>A known live hold may since have been released (release locks only the hold's row) or
     * marked expired (the sweeper locks only due rows, by its own clock): each is itself a guarded
     * UPDATE from {@code held}, so if it commits before the captures' UPDATE that UPDATE misses the
     * row, the group rolls back to its savepoint and decides again with the holds locked (today's
     * path: {@link #lock}); if it comes after, it waits for the group's row lock and then finds
     * the hold captured (PostgreSQL re-checks a waiting UPDATE's WHERE on the row as committed; a
     * release re-reads it under FOR UPDATE; the sweeper's SKIP LOCKED passes it by).
     * <li>Placements and captures of the account need the account's row lock, which the group holds.
     * </ul>
     * The held sum read under the account lock may lack a hold released meanwhile, which a capture
     * decided from memory would subtract again; that capture's UPDATE misses, so no such decision
     * commits.
     */
    Map<UUID, Hold> known(Connection connection, List<UsageRequest> requests, Instant at)
            throws SQLException {
        Map<UUID, Hold> known = new HashMap<>();
        List<UUID> expiredInMemory = new ArrayList<>();
        for (UsageRequest request : requests) {
            if (request.capture().isPresent()) {
                Hold hold = request.capture().get().known();
                known.put(hold.id(), hold);
                if (hold.storedState() == HoldState.HELD && hold.stateAt(at) == HoldState.EXPIRED) {
                    expiredInMemory.add(hold.id());
                }
            }
        }
        if (!expiredInMemory.isEmpty()) {
            known.putAll(holds.findAll(connection, expiredInMemory));
        }
        return known;
    }

    /**
     * The captured holds locked, for deciding again once a guard missed (the group holds its
     * accounts' locks already: accounts before holds, in id order, as every writer does).
     */
    Map<UUID, Hold> lock(Connection connection, List<UsageRequest> requests) throws SQLException {
        return holds.lockAll(connection, ids(requests));
    }

    /** The ids of the holds the requests capture, in the requests' order. */
    static List<UUID> ids(List<UsageRequest> requests) {
        List<UUID> ids = new ArrayList<>();
        requests.forEach(request -> request.capture().ifPresent(capture -> ids.add(capture.holdId())));
        return ids;
    }
}
