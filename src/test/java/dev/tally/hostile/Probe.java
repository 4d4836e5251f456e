package dev.tally.hostile;

import dev.tally.hostile.LedgerSnapshot.Change;
import dev.tally.hostile.World.AccountRef;
import dev.tally.hostile.World.Side;
import dev.tally.testing.ErrorAssertions;
import dev.tally.testing.Reply;
import dev.tally.testing.TallyClient;
import dev.tally.testing.TallyServer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One hostile request, and the checks every case makes: the documented status in the one error shape
 * (never a 500, no internals in the body), and a ledger exactly as it was before, or exactly as the
 * request was meant to change it.
 */
record Probe(TallyClient client, String method, String path, String body) {
    /** Internals beyond {@link ErrorAssertions#LEAK_MARKERS} that must not reach a caller either. */
    static final List<String> MORE_LEAK_MARKERS = List.of("java.", "javax.", "com.fasterxml", "com.google.protobuf",
            "com.linecorp", "io.netty", "jdbc", "JDBC", "Caused by", "\tat ", "Hikari", "PSQL", "JdbcSQL",
            "org.postgresql", "syntax error",
            // PostgreSQL's wording: constraint violations, type names, the parts of a server message.
            "violates", "duplicate key", "character varying", "value too long", "invalid input syntax",
            "out of range for type", "ERROR:", "Detail:", "Hint:", "Position:", "Where:", "Key (", "relation \"",
            "current transaction is aborted", "bigint", "timestamp with time zone",
            // H2's wording.
            "Unique index or primary key violation", "Value too long for column", "Check constraint",
            "Referential integrity", "NULL not allowed", "Data conversion error", "CHARACTER VARYING");

    /**
     * The schema's own names that a reply must not carry: every constraint and unique index, and every
     * table whose name is not also an ordinary word of the API (organizations, projects). Read from the
     * database by {@link #learnSchema}, so that a table, constraint or index added later is covered too.
     */
    private static volatile List<String> schemaMarkers = List.of();

    static void learnSchema(TallyServer server) {
        List<String> markers = new ArrayList<>(server.schemaConstraintAndUniqueIndexNames());
        server.schemaTables().stream().filter(table -> table.contains("_")).forEach(markers::add);
        markers.add("flyway_schema_history");
        schemaMarkers = List.copyOf(markers);
    }

    static List<String> schemaMarkers() {
        return schemaMarkers;
    }

    /** An expected refusal: HTTP status and gRPC code. */
    record Expect(int status, int code) {
        static final Expect INVALID = new Expect(400, 3);
        static final Expect UNAUTHENTICATED = new Expect(401, 16);
        static final Expect DENIED = new Expect(403, 7);
        static final Expect NOT_FOUND = new Expect(404, 5);
        static final Expect CONFLICT = new Expect(409, 6);
    }

    static Probe admin(World world, String method, String path, String body) {
        return new Probe(world.admin, method, path, body);
    }

    /** The endpoint with its valid body, aimed at {@code side}, sent by {@code client}. */
    static Probe to(Endpoint endpoint, Side side, TallyClient client) {
        return new Probe(client, endpoint.method, endpoint.path(side), endpoint.body(side));
    }

    Probe withBody(String newBody) {
        return new Probe(client, method, path, newBody);
    }

    Reply send() {
        Reply reply = client.send(method, path, body);
        assertThat(reply.status()).as("never a server error: " + this + " -> " + reply).isLessThan(500);
        if (reply.status() != 200) {
            assertNoLeak(reply);
        }
        return reply;
    }

    /** Sends; asserts the refusal and that nothing changed, in the watched accounts or any data table. */
    Reply assertRefused(World world, Expect expected, AccountRef... alsoWatched) {
        return assertRefusedWithOneOf(world, List.of(expected), alsoWatched);
    }

    /** As {@link #assertRefused}, where DESIGN allows more than one answer (such as 400 or 404 for a bad id). */
    Reply assertRefusedWithOneOf(World world, List<Expect> allowed, AccountRef... alsoWatched) {
        LedgerSnapshot before = world.snapshot(alsoWatched);
        Reply reply = client.send(method, path, body);
        LedgerSnapshot after = world.snapshot(alsoWatched);
        // Both checks run, so that a request wrongly accepted also shows what it changed.
        List<AssertionError> failures = new ArrayList<>();
        check(failures, () -> {
            Expect got = new Expect(reply.status(), reply.body().path("code").asInt(-1));
            assertThat(allowed).as("expected one of " + allowed + ": " + this + " -> " + reply).contains(got);
            ErrorAssertions.assertError(reply, got.status(), got.code());
            assertNoLeak(reply);
        });
        check(failures, () -> after.assertUnchangedSince(before, this + " -> " + reply));
        if (!failures.isEmpty()) {
            AssertionError failure = new AssertionError(failures.stream().map(Throwable::getMessage)
                    .collect(Collectors.joining("\n---\n")));
            failures.forEach(failure::addSuppressed);
            throw failure;
        }
        return reply;
    }

    private static void check(List<AssertionError> failures, Runnable assertion) {
        try {
            assertion.run();
        } catch (AssertionError e) {
            failures.add(e);
        }
    }

    /** Sends; asserts a 200 and that exactly {@code change} happened. */
    Reply assertSucceeds(World world, Change change, AccountRef... alsoWatched) {
        LedgerSnapshot before = world.snapshot(alsoWatched);
        Reply reply = send();
        assertThat(reply.status()).as(this + " -> " + reply).isEqualTo(200);
        assertThat(reply.body().isObject()).as(reply.toString()).isTrue();
        world.snapshot(alsoWatched).assertChangedSince(before, change, toString());
        return reply;
    }

    /**
     * No internals in the reply. A schema name that the request itself carries (an injection string
     * naming a table, echoed back in a "not found" message) is the caller's own text, not a leak.
     */
    void assertNoLeak(Reply reply) {
        ErrorAssertions.assertNoLeak(reply);
        for (String marker : MORE_LEAK_MARKERS) {
            assertThat(reply.rawBody()).as("reply leaks " + marker.strip() + ": " + reply).doesNotContain(marker);
        }
        String sent = (path + " " + body + " " + client.headers().values()).toLowerCase(Locale.ROOT);
        String replied = reply.rawBody().toLowerCase(Locale.ROOT);
        for (String marker : schemaMarkers) {
            if (!sent.contains(marker)) {
                assertThat(replied).as("reply names the schema's " + marker + ": " + reply).doesNotContain(marker);
            }
        }
    }

    static List<Expect> oneOf(Expect... allowed) {
        return Arrays.asList(allowed);
    }

    @Override
    public String toString() {
        String shownBody = body == null ? "" : " " + (body.length() > 200 ? body.substring(0, 200) + "…(" + body.length()
                + " chars)" : body);
        String shownPath = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return method + " " + shownPath + shownBody;
    }
}
