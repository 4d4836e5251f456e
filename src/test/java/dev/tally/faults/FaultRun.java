package dev.tally.faults;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code fault-test}: concurrent clients work a Tally on PostgreSQL while the Tally process is
 * killed with SIGKILL, PostgreSQL backends are terminated, PostgreSQL is restarted in fast and in
 * immediate mode, and client requests time out mid-flight. Afterwards the ledger is audited against
 * every answer the clients got. Exits 1 on any violation.
 */
@Command(name = "fault-test", mixinStandardHelpOptions = true,
        description = "Fault injection run with a ledger audit. --short for CI (a few minutes), --long for 10+ faults of each kind.")
public final class FaultRun implements Callable<Integer> {
    private static final String ADMIN_ID = "faults-admin";
    private static final String ADMIN_SECRET = "faults-secret";
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    enum Fault { KILL_TALLY, TERMINATE_BACKENDS, RESTART_POSTGRES_FAST, RESTART_POSTGRES_IMMEDIATE }

    @Option(names = "--long", description = "10 faults of each kind (default: 2 of each).")
    boolean longRun;
    @Option(names = "--faults-per-kind", description = "Faults of each kind; overrides --long.")
    Integer faultsPerKind;
    @Option(names = "--fault-interval-seconds", defaultValue = "6")
    int faultIntervalSeconds;
    @Option(names = "--clients", defaultValue = "8")
    int clients;
    @Option(names = "--accounts", defaultValue = "20")
    int accounts;
    @Option(names = "--postgres-admin-url", defaultValue = "jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres")
    String postgresAdminUrl;
    @Option(names = "--database", defaultValue = "tally_faults")
    String database;
    @Option(names = "--port", defaultValue = "8124")
    int port;
    @Option(names = "--jar", description = "Tally's jar (default: target/tally.jar).")
    Path jar;
    @Option(names = "--webhook-drain-seconds", defaultValue = "240",
            description = "How long to wait at the end for every webhook event to arrive (covers a killed process's 60 s lease).")
    int webhookDrainSeconds;
    @Option(names = "--webhook-failure-share", defaultValue = "0.1",
            description = "Share of webhook requests the receiver answers with 500, so that retries cross the faults.")
    double webhookFailureShare;

    public static void main(String[] args) {
        System.exit(new CommandLine(new FaultRun()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        int perKind = faultsPerKind != null ? faultsPerKind : longRun ? 10 : 2;
        String tallyDbUrl = postgresAdminUrl.replace("/postgres?", "/" + database + "?");
        PostgresControl postgres = new PostgresControl(postgresAdminUrl, database);
        postgres.recreateDatabase();
        Path dataDirectory = Files.createTempDirectory("tally-faults");
        TallyProcess tally = new TallyProcess(jar != null ? jar : TallyProcess.defaultJar(), Map.of(
                "TALLY_DB_URL", tallyDbUrl, "TALLY_DATA_DIR", dataDirectory.toString(),
                "TALLY_ADMIN_CLIENT_ID", ADMIN_ID, "TALLY_ADMIN_CLIENT_SECRET", ADMIN_SECRET,
                "TALLY_IDEMPOTENCY_LEASE_SECONDS", "3"), port, dataDirectory.resolve("tally.log"));
        tally.start();
        FaultWebhooks webhooks = new FaultWebhooks(webhookFailureShare);
        long startNanos = System.nanoTime();
        Attempts attempts = new Attempts(tally.baseUrl(), "Basic " + Base64.getEncoder().encodeToString(
                (ADMIN_ID + ":" + ADMIN_SECRET).getBytes(StandardCharsets.UTF_8)));
        webhooks.createWebhook(attempts);
        String orgId = created(attempts.send("POST", "/v1beta1/organizations",
                "{\"body\":{\"name\":\"faults-" + System.nanoTime() + "\"}}", null));
        List<String> accountIds = new ArrayList<>();
        for (int index = 0; index < accounts; index++) {
            String account = created(attempts.send("POST", "/v1beta1/organizations/" + orgId + "/billing",
                    "{\"body\":{\"name\":\"a" + index + "\"}}", null));
            accountIds.add(account);
            webhooks.setThresholds(attempts, orgId, account);
            created(attempts.send("POST", "/v1beta1/admin/organizations/" + orgId + "/billing/" + account + "/credits",
                    "{\"amount\":\"10000\",\"source\":\"faults\"}", null));
        }
        Expectations expected = new Expectations();
        Map<String, LongAdder> operations = ClientLoop.newOperationCounts();
        ConcurrentLinkedQueue<String[]> revertable = new ConcurrentLinkedQueue<>();
        List<ClientLoop> loops = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int client = 0; client < clients; client++) {
            ClientLoop loop = new ClientLoop(attempts, orgId, accountIds, expected, revertable, operations);
            loops.add(loop);
            threads.add(Thread.ofPlatform().name("fault-client-" + client).start(loop));
        }
        Map<Fault, Integer> injected = new LinkedHashMap<>();
        for (int round = 0; round < perKind; round++) {
            for (Fault fault : Fault.values()) {
                Thread.sleep(Duration.ofSeconds(faultIntervalSeconds));
                inject(fault, tally, postgres);
                injected.merge(fault, 1, Integer::sum);
                System.out.printf("  %5.0f s  injected %s%n", (System.nanoTime() - startNanos) / 1e9, fault);
            }
        }
        Thread.sleep(Duration.ofSeconds(faultIntervalSeconds));
        loops.forEach(ClientLoop::stop);
        for (Thread thread : threads) {
            thread.join(Duration.ofMinutes(3));
        }
        tally.awaitReady(Duration.ofSeconds(90));
        List<String> violations = new ArrayList<>(LedgerAudit.violations(tallyDbUrl, expected));
        WebhookAudit.Result delivered = webhooks.drainAndAudit(tallyDbUrl, Duration.ofSeconds(webhookDrainSeconds));
        violations.addAll(delivered.violations());
        tally.stop();
        webhooks.close();
        webhooks.report(delivered);
        report(startNanos, operations, injected, attempts, expected, violations);
        return violations.isEmpty() ? 0 : 1;
    }

    private static void inject(Fault fault, TallyProcess tally, PostgresControl postgres) throws Exception {
        switch (fault) {
            case KILL_TALLY -> {
                tally.killHard();
                tally.start();
            }
            case TERMINATE_BACKENDS -> postgres.terminateBackends();
            case RESTART_POSTGRES_FAST -> postgres.restart("fast");
            case RESTART_POSTGRES_IMMEDIATE -> postgres.restart("immediate");
        }
        tally.awaitReady(Duration.ofSeconds(90));
    }

    private static String created(Attempts.Outcome outcome) {
        Matcher matcher = ID.matcher(outcome.body());
        if (outcome.status() != 200 || !matcher.find()) {
            throw new IllegalStateException("set-up failed: " + outcome.status() + " " + outcome.body());
        }
        return matcher.group(1);
    }

    private static void report(long startNanos, Map<String, LongAdder> operations, Map<Fault, Integer> injected,
                               Attempts attempts, Expectations expected, List<String> violations) {
        long total = operations.values().stream().mapToLong(LongAdder::sum).sum();
        System.out.printf("fault-test: %.0f s%n", (System.nanoTime() - startNanos) / 1e9);
        System.out.printf("operations done: %d%n", total);
        new TreeMap<>(operations).forEach((name, count) -> System.out.printf("  %-32s %d%n", name, count.sum()));
        System.out.printf("faults injected: %d%n", injected.values().stream().mapToInt(Integer::intValue).sum()
                + attempts.clientTimeouts.get());
        injected.forEach((fault, count) -> System.out.printf("  %-32s %d%n", fault, count));
        System.out.printf("  %-32s %d%n", "CLIENT_TIMEOUT_MID_REQUEST", attempts.clientTimeouts.get());
        System.out.printf("attempts with an unknown outcome, retried: %d%n", attempts.unknownOutcomes.get());
        System.out.printf("audited: %d acknowledged usages, %d grants, %d reverts, %d refused usages, %d batches%n",
                expected.acknowledgedUsages.size(), expected.acknowledgedGrants.size(),
                expected.acknowledgedReverts.size(), expected.refusedUsages.size(), expected.batches.size());
        System.out.printf("violations found: %d%n", violations.size());
        violations.stream().limit(50).forEach(violation -> System.out.println("  " + violation));
        long checks = expected.acknowledgedUsages.size() + expected.acknowledgedGrants.size()
                + expected.acknowledgedReverts.size() + expected.refusedUsages.size() + expected.batches.size() + 1;
        System.out.printf("fault-test audit: %d passed, %d failed%n", Math.max(0, checks - violations.size()),
                violations.size());
    }
}
