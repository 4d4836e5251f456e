package dev.tally.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client of the fault run: grants, single and batched usage, reverts (a share of them
 * duplicated at once), holds (captured, released or left to expire) and balance reads on random
 * accounts, recording what it was told.
 */
final class ClientLoop implements Runnable {
    private final Attempts attempts;
    private final String orgId;
    private final List<String> accountIds;
    private final Expectations expected;
    private final ConcurrentLinkedQueue<String[]> revertable;
    private final Map<String, LongAdder> operations;
    private volatile boolean running = true;

    ClientLoop(Attempts attempts, String orgId, List<String> accountIds, Expectations expected,
               ConcurrentLinkedQueue<String[]> revertable, Map<String, LongAdder> operations) {
        this.attempts = attempts;
        this.orgId = orgId;
        this.accountIds = accountIds;
        this.expected = expected;
        this.revertable = revertable;
        this.operations = operations;
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            while (running) {
                step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void step() throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String account = accountIds.get(random.nextInt(accountIds.size()));
        String accountPath = "/v1beta1/organizations/" + orgId + "/billing/" + account;
        int roll = random.nextInt(100);
        if (roll < 10) {
            UUID id = UUID.randomUUID();
            // Grants (DESIGN §13): half of them expire 5-30 s from now, all with a random priority.
            String expiry = random.nextBoolean() ? "" : ",\"expires_at\":\""
                    + java.time.Instant.now().plusSeconds(5 + random.nextInt(26)) + "\"";
            Attempts.Outcome outcome = attempts.send("POST", accountPath.replace("/v1beta1/", "/v1beta1/admin/")
                    + "/credits", "{\"id\":\"" + id + "\",\"amount\":\"500\",\"source\":\"faults\",\"priority\":"
                    + random.nextInt(101) + expiry + "}", key());
            count("grant", outcome);
            if (outcome.ok()) {
                expected.acknowledgedGrants.put(id, new Expectations.Entry(account, 500));
            }
        } else if (roll < 50) {
            usages(account, accountPath, 1);
        } else if (roll < 65) {
            usages(account, accountPath, 5);
        } else if (roll < 80) {
            revert();
        } else if (roll < 90) {
            hold(account, accountPath);
        } else {
            count("balance read", attempts.send("GET", accountPath + "/balance", null, null));
        }
    }

    private void usages(String account, String accountPath, int count) throws InterruptedException {
        List<UUID> ids = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"usages\":[");
        long[] amounts = new long[count];
        for (int index = 0; index < count; index++) {
            UUID id = UUID.randomUUID();
            ids.add(id);
            amounts[index] = 1 + ThreadLocalRandom.current().nextInt(20);
            body.append(index == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"amount\":\"")
                    .append(amounts[index]).append("\",\"source\":\"faults\",\"description\":\"d\"}");
        }
        body.append("]}");
        if (count > 1) {
            expected.batches.add(ids);
        }
        Attempts.Outcome outcome = attempts.send("POST", accountPath + "/usages", body.toString(), key());
        count(count == 1 ? "usage" : "usage batch of 5", outcome);
        boolean duplicateOfOurOwn = outcome.status() == 409 && outcome.hadUnknownAttempt();
        if (outcome.ok() || duplicateOfOurOwn) {
            for (int index = 0; index < count; index++) {
                expected.acknowledgedUsages.put(ids.get(index), new Expectations.Entry(account, amounts[index]));
            }
            if (outcome.ok()) {
                revertable.add(new String[] {account, ids.get(0).toString()});
            }
        } else if (outcome.status() == 400 && !outcome.hadUnknownAttempt()) {
            expected.refusedUsages.addAll(ids);
        }
    }

    /**
     * A hold of 1-20 credits expiring in 1-20 s, then (each a third of the time) captured in part
     * or whole, released, or left to expire. A capture is sent twice when its first answer was
     * lost, like any retried write: the retry must answer the same and debit nothing more.
     */
    private void hold(String account, String accountPath) throws InterruptedException {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        UUID id = UUID.randomUUID();
        long amount = 1 + random.nextInt(20);
        Attempts.Outcome created = attempts.send("POST", accountPath + "/holds", "{\"id\":\"" + id
                + "\",\"amount\":\"" + amount + "\",\"expires_in\":\"" + (1 + random.nextInt(20))
                + "\",\"source\":\"faults\"}", key());
        count("hold", created);
        if (!created.ok()) {
            return;
        }
        expected.acknowledgedHolds.put(id, new Expectations.Entry(account, amount));
        int next = random.nextInt(3);
        if (next == 0) {
            long captured = random.nextLong(amount + 1);
            Attempts.Outcome capture = attempts.send("POST", accountPath + "/holds/" + id + "/capture",
                    "{\"amount\":\"" + captured + "\"}", key());
            count("hold capture", capture);
            if (capture.ok()) {
                expected.acknowledgedCaptures.put(id, new Expectations.Entry(account, captured));
            }
        } else if (next == 1) {
            Attempts.Outcome release = attempts.send("POST", accountPath + "/holds/" + id + "/release", "{}", key());
            count("hold release", release);
            if (release.ok()) {
                expected.acknowledgedReleases.add(id);
            }
        }
    }

    private void revert() throws InterruptedException {
        String[] target = revertable.poll();
        if (target == null) {
            return;
        }
        String path = "/v1beta1/admin/organizations/" + orgId + "/billing/" + target[0] + "/usage/" + target[1]
                + "/revert";
        String body = ThreadLocalRandom.current().nextBoolean() ? "{}" : "{\"amount\":\"1\"}";
        Attempts.Outcome outcome = attempts.send("POST", path, body, key());
        count("revert", outcome);
        if (outcome.ok()) {
            expected.acknowledgedReverts.add(UUID.fromString(target[1]));
        }
        if (ThreadLocalRandom.current().nextInt(4) == 0) {
            // A second, independent revert of the same usage: it must be refused.
            Attempts.Outcome twin = attempts.send("POST", path, body, key());
            count("duplicate revert", twin);
        }
    }

    private void count(String operation, Attempts.Outcome outcome) {
        String name = operation + " -> " + (outcome.status() < 0 ? "gave up" : Integer.toString(outcome.status()));
        operations.computeIfAbsent(name, ignored -> new LongAdder()).increment();
    }

    private static String key() {
        return UUID.randomUUID().toString();
    }

    static Map<String, LongAdder> newOperationCounts() {
        return new ConcurrentHashMap<>();
    }
}
