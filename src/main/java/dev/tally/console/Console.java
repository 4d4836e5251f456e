package dev.tally.console;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.server.ServerBuilder;
import com.linecorp.armeria.server.file.FileService;
import dev.tally.Tally;

/**
 * The operator console at {@code /console/} (DESIGN §16): pages and scripts from
 * {@code src/main/resources/console}, the session endpoint, and the gate that lets those pages
 * call the REST API with their session.
 */
public final class Console {
    static final String SESSION_PATH = "/console/api/session";

    private Console() {}

    public static void configure(ServerBuilder server, Tally tally) {
        ConsoleSessions sessions = new ConsoleSessions(tally.database(), tally.authenticator(), tally.clock());
        server.service(SESSION_PATH, new SessionEndpoint(sessions));
        server.service("/console", (ctx, req) -> HttpResponse.builder().status(HttpStatus.MOVED_PERMANENTLY)
                .header(HttpHeaderNames.LOCATION, "/console/").build());
        server.serviceUnder("/console/", FileService.builder(Console.class.getClassLoader(), "console")
                .cacheControl("no-cache")
                .build());
        server.decorator("prefix:/console", new SecurityHeaders());
        server.decorator("prefix:/v1beta1/", new SessionGate(sessions));
    }
}
