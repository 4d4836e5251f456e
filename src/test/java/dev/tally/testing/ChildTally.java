package dev.tally.testing;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tally as a real child process ({@code dev.tally.Main} on this JVM's classpath), for what only a process
 * shows: its whole standard output and error, and what SIGTERM does. Free ports; on PostgreSQL runs a fresh
 * schema (kept open by this side for checks), on H2 a file database in a temporary directory.
 */
public final class ChildTally implements AutoCloseable {
    public static final String ADMIN_CLIENT_ID = "child-admin";
    private static final Pattern STARTED = Pattern.compile("Tally serves on port (\\d+).*management on port (\\d+)");

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final Path dataDirectory;
    private final Optional<TestDatabase> postgres;
    private final String adminSecret;
    private final String scheme;
    private int port;
    private int managementPort;

    private ChildTally(Process process, Path stdout, Path stderr, Path dataDirectory, Optional<TestDatabase> postgres,
                       String adminSecret, String scheme) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.dataDirectory = dataDirectory;
        this.postgres = postgres;
        this.adminSecret = adminSecret;
        this.scheme = scheme;
    }

    /** Starts a child with these extra environment variables and waits until it serves. */
    public static ChildTally start(String adminSecret, Map<String, String> environment) throws IOException {
        Path directory = Files.createTempDirectory("tally-child");
        Optional<TestDatabase> postgres = TestDatabase.kind().equals("postgres")
                ? Optional.of(TestDatabase.create()) : Optional.empty();
        Map<String, String> env = new HashMap<>();
        env.put("TALLY_HTTP_PORT", "0");
        env.put("TALLY_MANAGEMENT_PORT", "0");
        env.put("TALLY_DATA_DIR", directory.toString());
        env.put("TALLY_ADMIN_CLIENT_ID", ADMIN_CLIENT_ID);
        env.put("TALLY_ADMIN_CLIENT_SECRET", adminSecret);
        env.put("TALLY_DB_POOL_SIZE", "8");
        postgres.ifPresent(database -> env.put("TALLY_DB_URL", database.jdbcUrl()));
        env.putAll(environment);
        Path out = directory.resolve("stdout.log");
        Path err = directory.resolve("stderr.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                "dev.tally.Main")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("TALLY_"));
        builder.environment().putAll(env);
        ChildTally child = new ChildTally(builder.start(), out, err, directory, postgres, adminSecret,
                env.containsKey("TALLY_TLS_CERT_FILE") ? "https" : "http");
        child.awaitStarted(Duration.ofSeconds(90));
        return child;
    }

    private void awaitStarted(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher started = STARTED.matcher(Files.readString(stderr, StandardCharsets.UTF_8));
            if (started.find()) {
                port = Integer.parseInt(started.group(1));
                managementPort = Integer.parseInt(started.group(2));
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Tally exited with " + process.exitValue() + " at start:\n" + output());
            }
            sleep(100);
        }
        throw new IllegalStateException("Tally did not start within " + timeout + ":\n" + output());
    }

    public URI uri() {
        return URI.create(scheme + "://127.0.0.1:" + port + "/");
    }

    public URI managementUri() {
        return URI.create("http://127.0.0.1:" + managementPort + "/");
    }

    public TallyClient admin() {
        return new TallyClient(uri(), Optional.of(TallyClient.basic(ADMIN_CLIENT_ID, adminSecret)));
    }

    /** SIGTERM, then the exit status (waiting at most {@code timeout}). */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("Tally did not exit within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    public Process process() {
        return process;
    }

    /** Everything the process wrote so far: standard output, then standard error. */
    public String output() {
        try {
            return Files.readString(stdout, StandardCharsets.UTF_8) + Files.readString(stderr, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String standardOutput() {
        try {
            return Files.readString(stdout, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The child's database, for checks after it exited: the PostgreSQL schema, or the H2 file (which
     * only one process may open, hence only once the child is gone).
     */
    public dev.tally.storage.Database openDatabase() {
        if (postgres.isPresent()) {
            return dev.tally.storage.Database.open(postgres.get().jdbcUrl(), null, null, 2);
        }
        if (process.isAlive()) {
            throw new IllegalStateException("the H2 file database can be opened only once the child has exited");
        }
        return dev.tally.storage.Database.open("jdbc:h2:file:" + dataDirectory.resolve("tally"), "", "", 2);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        postgres.ifPresent(TestDatabase::close);
        try (var paths = Files.walk(dataDirectory)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temporary directory is harmless
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
