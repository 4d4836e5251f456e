package dev.tally.faults;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * What the clients were told, to be held against the ledger afterwards. Acknowledged writes must be
 * there exactly as sent; definitively refused ones must be absent; every batch, answered or not,
 * must be all there or not there at all. An acknowledged hold is there with its amount on its account,
 * an acknowledged capture is its hold's one debit, and an acknowledged release leaves its hold released.
 */
final class Expectations {
    record Entry(String accountId, long amount) {}

    final Map<UUID, Entry> acknowledgedUsages = new ConcurrentHashMap<>();
    final Map<UUID, Entry> acknowledgedGrants = new ConcurrentHashMap<>();
    final Set<UUID> acknowledgedReverts = ConcurrentHashMap.newKeySet();
    final Set<UUID> refusedUsages = ConcurrentHashMap.newKeySet();
    final ConcurrentLinkedQueue<List<UUID>> batches = new ConcurrentLinkedQueue<>();
    /** Holds (DESIGN §12): acknowledged creations by hold id (the amount held), whatever became of them after. */
    final Map<UUID, Entry> acknowledgedHolds = new ConcurrentHashMap<>();
    /** Holds (DESIGN §12): acknowledged captures by hold id (the amount captured), and acknowledged releases. */
    final Map<UUID, Entry> acknowledgedCaptures = new ConcurrentHashMap<>();
    final Set<UUID> acknowledgedReleases = ConcurrentHashMap.newKeySet();
}
