package dev.tally.faults;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A Tally server run as a child process, so that it can be killed with SIGKILL and started again. */
final class TallyProcess {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    private final Path jar;
    private final Map<String, String> environment;
    private final int port;
    private final Path log;
    private Process process;

    TallyProcess(Path jar, Map<String, String> environment, int port, Path log) {
        this.jar = jar;
        this.environment = environment;
        this.port = port;
        this.log = log;
    }

    void start() throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("TALLY_HTTP_PORT", Integer.toString(port));
        process = builder.start();
        awaitReady(Duration.ofSeconds(90));
    }

    /** SIGKILL: no shutdown hook runs, in-flight requests and commits are cut where they are. */
    void killHard() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor();
        }
    }

    /** Waits until /ready answers 200; restarts the process if it exited (e.g. the database was down at start). */
    void awaitReady(Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                Thread.sleep(500);
                start();
                return;
            }
            try {
                HttpResponse<Void> reply = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (reply.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("Tally did not become ready within " + timeout + "; see " + log);
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    static Path defaultJar() {
        return new File("target/tally.jar").toPath().toAbsolutePath();
    }
}
