package dev.tally.interop;

import dev.tally.testing.TallyServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Frontier's published TypeScript client ({@code @raystack/proton} through
 * {@code @connectrpc/connect-node}, see {@code interop/}) runs the usage → revert walkthrough, its
 * error cases and an Idempotency-Key retry against this server over Connect JSON and binary
 * (HTTP/1.1 and h2c, gzip), gRPC and gRPC-Web. It needs Node and {@code npm ci} in {@code interop/};
 * without them it is skipped, unless {@code TALLY_TEST_INTEROP} is set (as {@code .ci/run} does),
 * when it fails instead.
 */
class FrontierClientInteropTest {
    private static final Path INTEROP = Path.of("interop");
    private static final Path TSX = INTEROP.resolve("node_modules/.bin/tsx");

    @RegisterExtension
    static final TallyServer SERVER = new TallyServer();

    @Test
    void frontiersOwnClientPassesTheWalkthroughOverEveryTransport() throws IOException, InterruptedException {
        boolean required = System.getenv("TALLY_TEST_INTEROP") != null;
        if (!required) {
            assumeThat(Files.isExecutable(TSX)).as("interop/node_modules (run npm ci in interop/)").isTrue();
        }
        assertThat(TSX).as("npm ci in interop/ must have installed the client").isExecutable();
        Path log = Files.createTempFile("tally-interop", ".log");
        ProcessBuilder walkthrough = new ProcessBuilder(TSX.toAbsolutePath().toString(), "walkthrough.ts")
                .directory(INTEROP.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        walkthrough.environment().put("TALLY_URL", SERVER.uri().toString().replaceAll("/$", ""));
        walkthrough.environment().put("TALLY_ADMIN_ID", TallyServer.ADMIN_CLIENT_ID);
        walkthrough.environment().put("TALLY_ADMIN_SECRET", TallyServer.ADMIN_SECRET);
        Process process = walkthrough.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);

        assertThat(finished).as("the walkthrough finished within 5 minutes").isTrue();
        assertThat(output).as(output).contains("PASS connect-json-http1", "PASS connect-json-h2c",
                "PASS connect-binary-http1", "PASS connect-binary-h2c-gzip", "PASS grpc", "PASS grpc-web");
        assertThat(process.exitValue()).as(output).isZero();
    }
}
