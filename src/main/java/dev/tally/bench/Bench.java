package dev.tally.bench;

import com.linecorp.armeria.common.AggregatedHttpResponse;
import com.linecorp.armeria.common.HttpMethod;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/** {@code bench}: drives a running Tally over HTTP and reports throughput, latency and the invariant. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks a running Tally. Workloads: spread, hot, batch, mix, sweep, history, hold, firehose, grants, all.")
public final class Bench implements Callable<Integer> {
    private static final long CREDITS = 1_000_000_000_000_000L;

    @Option(names = "--url", defaultValue = "http://127.0.0.1:8000", description = "Tally's base URL.")
    String url;
    @Option(names = "--data-dir", defaultValue = "data",
            description = "Where to read admin-credentials when --admin-id is not given.")
    Path dataDirectory;
    @Option(names = "--admin-id", description = "Platform admin client id (default: $TALLY_ADMIN_CLIENT_ID).")
    String adminId;
    @Option(names = "--admin-secret", description = "Platform admin secret (default: $TALLY_ADMIN_CLIENT_SECRET).")
    String adminSecret;
    @Option(names = "--db-url", description = "JDBC URL of Tally's database, for the invariant check (else via the API).")
    String dbUrl;
    @Option(names = "--workload", defaultValue = "all",
            description = "spread | hot | batch | mix | sweep | history | hold | firehose | all")
    String workload;
    @Option(names = "--clients", defaultValue = "64", description = "Concurrent clients.")
    int clients;
    @Option(names = "--seconds", defaultValue = "20", description = "Measured seconds per phase.")
    int seconds;
    @Option(names = "--warmup-seconds", defaultValue = "15",
            description = "Unmeasured warm-up per phase (history: each request kind first for at least six of these).")
    int warmupSeconds;
    @Option(names = "--rate", defaultValue = "0", description = "Total requests/s (fixed-rate mode); 0 = closed loop.")
    double rate;
    @Option(names = "--accounts", defaultValue = "1000", description = "Accounts for spread, batch and mix.")
    int accountCount;
    @Option(names = "--sweep-sizes", defaultValue = "1,10000,1000000", split = ",",
            description = "History sizes for the sweep workload.")
    long[] sweepSizes;
    @Option(names = "--server-pid", defaultValue = "0",
            description = "Tally's process id: report its CPU per request (from /proc) for each phase.")
    long serverPid;
    @Option(names = "--pgbench", description = "Measure PostgreSQL's own single-row INSERT rate on --db-url first"
            + " (pgbench, same clients and seconds, in a scratch schema) and report Tally's ratio to it.")
    boolean pgbench;
    @Option(names = "--pgbench-clients", defaultValue = "0",
            description = "pgbench's clients (default: --clients); fewer when PostgreSQL's max_connections is shared.")
    int pgbenchClients;

    @Option(names = "--receiver-port", defaultValue = "0",
            description = "Port of the firehose workload's in-process webhook receiver (0: any free port).")
    int receiverPort;
    @Option(names = "--history-sizes", defaultValue = "10000,1000000", split = ",",
            description = "History sizes for the history workload.")
    long[] historySizes;

    private BenchApi api;
    private double pgbenchInsertsPerSecond;
    /** CPU per request of each measured phase, by workload, for the summary. */
    private final Map<String, Double> cpuMicrosPerRequest = new LinkedHashMap<>();
    private String currentWorkload = "";
    /** The server's CPU per request in the last measured phase; NaN without --server-pid. */
    private double lastCpuMicrosPerRequest = Double.NaN;
    /** Usage requests per second of the latest hot phase, for the hold phase's ratio; 0 before one. */
    private double hotRequestsPerSecond;
    /** The server's CPU per hold + capture unit in the latest hold phase; NaN without --server-pid. */
    private double holdCpuMicrosPerUnit = Double.NaN;
    /** Create and capture latencies of the latest hold phase, each request on its own. */
    private HoldRequestLatencies holdLatencies = HoldRequestLatencies.NONE;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        resolveCredentials();
        try (BenchApi client = new BenchApi(url, adminId, adminSecret)) {
            api = client;
            System.out.printf("bench: %s, %d clients, %d s per phase (%s), %d cores%n", url, clients, seconds,
                    rate > 0 ? "fixed rate " + rate + " req/s" : "closed loop", Runtime.getRuntime().availableProcessors());
            List<String> workloads = workload.equals("all")
                    ? List.of("spread", "hot", "batch", "mix", "sweep", "hold", "grants") : List.of(workload.split(","));
            if (pgbench) {
                if (dbUrl == null || !dbUrl.startsWith("jdbc:postgresql:")) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--pgbench needs a PostgreSQL --db-url");
                }
                int baselineClients = pgbenchClients > 0 ? pgbenchClients : clients;
                pgbenchInsertsPerSecond = PgbenchBaseline.insertsPerSecond(dbUrl, baselineClients, seconds);
                System.out.printf("PostgreSQL single-row autocommit INSERT (pgbench, %d clients, %d s): %.0f tps%n",
                        baselineClients, seconds, pgbenchInsertsPerSecond);
            }
            boolean failed = false;
            for (String name : workloads) {
                currentWorkload = name.trim();
                failed |= !runWorkload(currentWorkload);
            }
            printCpuSummary();
            return failed ? 1 : 0;
        }
    }

    private boolean runWorkload(String name) throws Exception {
        BenchApi.BenchAccounts accounts;
        List<LoadResult> results = new ArrayList<>();
        switch (name) {
            case "spread" -> {
                accounts = api.createAccounts(accountCount, CREDITS);
                results.add(measure("a. 1 usage/request, " + accountCount + " accounts", 1,
                        () -> api.usages(accounts, ThreadLocalRandom.current().nextInt(accountCount), 1, null)));
            }
            case "hot" -> {
                accounts = api.createAccounts(1, CREDITS);
                results.add(measure("b. 1 usage/request, 1 hot account", 1,
                        () -> api.usages(accounts, 0, 1, null)));
                hotRequestsPerSecond = results.get(0).requestsPerSecond();
            }
            case "batch" -> {
                accounts = api.createAccounts(accountCount, CREDITS);
                results.add(measure("c. 1000 usages/request", 1000,
                        () -> api.usages(accounts, ThreadLocalRandom.current().nextInt(accountCount), 1000, null)));
            }
            case "mix" -> {
                accounts = api.createAccounts(Math.min(accountCount, 100), CREDITS);
                results.add(measure("d. mix usage/revert/grant/read", 1, mix(accounts)));
            }
            case "sweep" -> {
                return sweep();
            }
            case "firehose" -> {
                return new FirehoseWorkload(api, warmRunner(), dbUrl, receiverPort).run(accountCount, CREDITS);
            }
            case "hold" -> {
                // DESIGN §12: each unit is two requests, a hold and its capture, on one hot account.
                accounts = api.createAccounts(1, CREDITS);
                // LoadRunner counts one completed unit (the capture's reply) as one "req": rates, latencies
                // and the CPU line are per unit, and holdUnits() says what that is per HTTP request.
                // Each request kind's latency is recorded beside it, in the measured run only.
                String phase = "g. hold + capture units, 1 hot account";
                warmUp(phase, 1, () -> holdThenCapture(accounts, 0, HoldRequestLatencies.NONE));
                HoldRequestLatencies perKind = new HoldRequestLatencies();
                results.add(measureWarm(phase, 1, () -> holdThenCapture(accounts, 0, perKind)));
                holdCpuMicrosPerUnit = lastCpuMicrosPerRequest;
                holdLatencies = perKind;
            }
            case "grants" -> {
                return new GrantsWorkload(api, warmRunner(), dbUrl).run(CREDITS);
            }
            case "ping" -> {
                LoadResult result = measure("f. GET /ping", 1, () -> api.send(HttpMethod.GET, "/ping", null));
                System.out.println(result.describe());
                return result.failed() == 0;
            }
            case "history" -> {
                return new HistoryWorkload(api, historyPhases(), url,
                        "Basic " + java.util.Base64.getEncoder().encodeToString(
                                (adminId + ":" + adminSecret).getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                        serverPid, dbUrl).run(historySizes, CREDITS);
            }
            default -> throw new CommandLine.ParameterException(new CommandLine(this), "unknown workload " + name);
        }
        results.forEach(result -> {
            System.out.println(result.describe());
            if (name.equals("hold")) {
                System.out.println(holdUnits(result));
                System.out.println(holdLatencies.describe());
            }
            if (pgbenchInsertsPerSecond > 0) {
                // A batch's usages are rows, as pgbench's inserts are: its ratio is usages/s, not requests/s.
                System.out.printf("%34s %.2f x PostgreSQL's single-row INSERT rate (%.0f tps)%s%n", "",
                        result.unitsPerSecond() / pgbenchInsertsPerSecond, pgbenchInsertsPerSecond,
                        result.unitsPerRequest() > 1 ? ", in usages/s" : "");
            }
        });
        String invariant = InvariantCheck.after(api, dbUrl, accounts);
        System.out.println("    " + invariant);
        return invariant.contains("OK") && results.stream().allMatch(result -> result.failed() == 0);
    }

    private LoadResult measure(String name, long unitsPerRequest,
                               Supplier<CompletableFuture<AggregatedHttpResponse>> request) throws InterruptedException {
        warmUp(name, unitsPerRequest, request);
        return measureWarm(name, unitsPerRequest, request);
    }

    /** The unmeasured run of {@code --warmup-seconds} before a measured one. */
    private void warmUp(String name, long unitsPerRequest, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
            throws InterruptedException {
        if (warmupSeconds > 0) {
            LoadRunner.run(name + " (warm-up)", clients, Duration.ofSeconds(warmupSeconds), rate, unitsPerRequest,
                    request);
        }
    }

    /** A measured run without its own warm-up (the caller warmed the server). */
    private LoadResult measureWarm(String name, long unitsPerRequest,
                                   Supplier<CompletableFuture<AggregatedHttpResponse>> request)
            throws InterruptedException {
        lastCpuMicrosPerRequest = Double.NaN;
        long cpuBefore = serverPid > 0 ? ProcessCpu.cpuNanos(serverPid) : 0;
        LoadResult result = LoadRunner.run(name, clients, Duration.ofSeconds(seconds), rate, unitsPerRequest, request);
        if (serverPid > 0 && result.requests() > 0) {
            double micros = (ProcessCpu.cpuNanos(serverPid) - cpuBefore) / 1000.0 / result.requests();
            cpuMicrosPerRequest.put(currentWorkload, micros);
            lastCpuMicrosPerRequest = micros;
            System.out.printf("%34s Tally process CPU %.0f us per request%n", "", micros);
        }
        return result;
    }

    /** How the grants and firehose comparisons run a phase: as every other workload's, 1 unit a request. */
    private WarmComparison.Runner warmRunner() {
        return new WarmComparison.Runner() {
            @Override
            public void warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                    throws InterruptedException {
                Bench.this.warmUp(name, 1, request);
            }

            @Override
            public LoadResult measure(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                    throws InterruptedException {
                return measureWarm(name, 1, request);
            }
        };
    }

    /** The history workload's phases: measured as every other workload's, and warm-ups on their own. */
    private HistoryWorkload.Phases historyPhases() {
        return new HistoryWorkload.Phases() {
            @Override
            public HistoryWorkload.Measured measure(String name,
                                                    Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                    throws InterruptedException {
                LoadResult result = Bench.this.measure(name, 1, request);
                return new HistoryWorkload.Measured(result, lastCpuMicrosPerRequest);
            }

            @Override
            public LoadResult warmUp(String name, Supplier<CompletableFuture<AggregatedHttpResponse>> request)
                    throws InterruptedException {
                return LoadRunner.run(name, clients, Duration.ofSeconds(warmupSeconds), rate, 1, request);
            }

            @Override
            public int warmUpSeconds() {
                return warmupSeconds;
            }
        };
    }

    /**
     * The hold phase in HTTP requests (2 per unit), and DESIGN §12's ratio: units per second over
     * the plain usage requests per second of the run's latest hot phase (target: at least 0.40).
     */
    private String holdUnits(LoadResult units) {
        StringBuilder out = new StringBuilder(String.format("%34s units of 2 HTTP requests: %.0f units/s = %.0f"
                + " requests/s", "", units.requestsPerSecond(), 2 * units.requestsPerSecond()));
        if (!Double.isNaN(holdCpuMicrosPerUnit)) {
            out.append(String.format("; Tally CPU %.0f us per unit = %.0f us per request", holdCpuMicrosPerUnit,
                    holdCpuMicrosPerUnit / 2));
        }
        if (hotRequestsPerSecond > 0) {
            out.append(String.format("%n%34s units/s / hot usage req/s (latest hot phase, %.0f req/s): %.2f"
                    + " (DESIGN §12: at least 0.40)", "", hotRequestsPerSecond,
                    units.requestsPerSecond() / hotRequestsPerSecond));
        }
        return out.toString();
    }

    /** DESIGN §9: CPU per usage request at most 1.5 x CPU per /ping, measured in the same run. */
    private void printCpuSummary() {
        Double ping = cpuMicrosPerRequest.get("ping");
        if (ping == null || ping <= 0) {
            return;
        }
        cpuMicrosPerRequest.forEach((name, micros) -> {
            if (!name.equals("ping")) {
                System.out.printf("CPU per request, %s / ping: %.0f / %.0f us = %.2f x%n", name, micros, ping,
                        micros / ping);
            }
        });
    }

    /**
     * Reserves 2 credits, then captures 1 of them once the hold is answered; completes with the
     * capture's reply, each request's latency recorded in {@code perKind}.
     */
    private CompletableFuture<AggregatedHttpResponse> holdThenCapture(BenchApi.BenchAccounts accounts, int index,
                                                                     HoldRequestLatencies perKind) {
        String id = UUID.randomUUID().toString();
        String holds = accounts.path(index) + "/holds";
        return perKind.timeCreate(() -> api.send(HttpMethod.POST, holds,
                        "{\"id\":\"" + id + "\",\"amount\":\"2\",\"source\":\"bench\"}"))
                .thenCompose(created -> created.status().code() != 200 ? CompletableFuture.completedFuture(created)
                        : perKind.timeCapture(() -> api.send(HttpMethod.POST, holds + "/" + id + "/capture",
                                "{\"amount\":\"1\"}")));
    }

    /** 60% usage, 10% revert (a fifth of them of a usage another revert also takes), 5% grant, 25% balance read. */
    private Supplier<CompletableFuture<AggregatedHttpResponse>> mix(BenchApi.BenchAccounts accounts) {
        ConcurrentLinkedQueue<String> revertable = new ConcurrentLinkedQueue<>();
        return () -> {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            int index = random.nextInt(accounts.accountIds().length);
            int roll = random.nextInt(100);
            if (roll < 10) {
                String target = revertable.poll();
                if (target != null) {
                    if (random.nextInt(5) == 0) {
                        revertable.add(target); // a duplicate revert: exactly one of the two may succeed
                    }
                    String[] parts = target.split("/");
                    return api.send(HttpMethod.POST, "/v1beta1/admin/organizations/" + accounts.orgId() + "/billing/"
                            + parts[0] + "/usage/" + parts[1] + "/revert", "{}");
                }
            }
            if (roll < 70) {
                return api.usages(accounts, index, 1, revertable);
            }
            if (roll < 75) {
                return api.send(HttpMethod.POST, accounts.path(index).replace("/v1beta1/", "/v1beta1/admin/")
                        + "/credits", "{\"amount\":\"5\",\"source\":\"bench\"}");
            }
            return api.send(HttpMethod.GET, accounts.path(index) + "/balance", null);
        };
    }

    /** Balance read and usage report on accounts with growing histories: the cost must stay flat. */
    private boolean sweep() throws Exception {
        boolean ok = true;
        for (long size : sweepSizes) {
            BenchApi.BenchAccounts account = api.createAccounts(1, CREDITS);
            long entries = 1;
            long fillStart = System.nanoTime();
            while (entries < size) {
                int count = (int) Math.min(1000, size - entries);
                AggregatedHttpResponse reply = api.usages(account, 0, count, null).join();
                if (reply.status().code() != 200) {
                    throw new IllegalStateException("filling the history failed: " + reply.contentUtf8());
                }
                entries += count;
            }
            System.out.printf("e. history of %,d entries (filled in %.1f s)%n", entries,
                    (System.nanoTime() - fillStart) / 1e9);
            LoadResult read = measure("   balance read, " + entries + " entries", 1,
                    () -> api.send(HttpMethod.GET, account.path(0) + "/balance", null));
            LoadResult write = measure("   usage report, " + entries + " entries", 1,
                    () -> api.usages(account, 0, 1, null));
            System.out.println(read.describe());
            System.out.println(write.describe());
            ok &= read.failed() == 0 && write.failed() == 0;
            if (dbUrl != null) {
                String invariant = InvariantCheck.viaDatabase(dbUrl);
                System.out.println("    " + invariant);
                ok &= invariant.contains("OK");
            }
        }
        return ok;
    }

    private void resolveCredentials() throws IOException {
        if (adminId == null) {
            adminId = System.getenv("TALLY_ADMIN_CLIENT_ID");
            adminSecret = System.getenv("TALLY_ADMIN_CLIENT_SECRET");
        }
        Path file = dataDirectory.resolve("admin-credentials");
        if ((adminId == null || adminSecret == null) && Files.exists(file)) {
            Properties properties = new Properties();
            try (var reader = Files.newBufferedReader(file)) {
                properties.load(reader);
            }
            adminId = properties.getProperty("TALLY_ADMIN_CLIENT_ID");
            adminSecret = properties.getProperty("TALLY_ADMIN_CLIENT_SECRET");
        }
        if (adminId == null || adminSecret == null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "no admin credentials: pass --admin-id/--admin-secret, set TALLY_ADMIN_CLIENT_ID/SECRET,"
                            + " or point --data-dir at a directory with admin-credentials");
        }
    }
}
