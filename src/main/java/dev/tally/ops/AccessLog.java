package dev.tally.ops;

import com.linecorp.armeria.common.logging.RequestLog;
import com.linecorp.armeria.server.ServiceRequestContext;
import com.linecorp.armeria.server.logging.AccessLogWriter;

import io.netty.util.AttributeKey;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * One line per request on standard output (DESIGN §15): time, request id, principal, RPC, method and
 * path, status and latency; {@code key=value} pairs, or a JSON object per line with
 * {@code TALLY_LOG_FORMAT=json}. Only these fields are written: no header, query string or body, so
 * neither a secret nor an Authorization value can reach the log.
 */
final class AccessLog implements AccessLogWriter {
    /** The authenticated principal's id, set on the request by {@link Operations} when it authenticates. */
    static final AttributeKey<String> PRINCIPAL = AttributeKey.valueOf(AccessLog.class, "principal");
    /**
     * The characters a value may hold to be written bare: {@code [A-Za-z0-9._:/{}@%+=,-]}. A table,
     * not a regex: matching that character-class union cost about 5 % of a history request's CPU.
     */
    private static final boolean[] BARE = bareCharacters("._:/{}@%+=,-");
    /** A usage request's plain line is about 230 characters, its JSON line some 40 more; one buffer of this size holds either. */
    private static final int LINE_LENGTH_TYPICAL = 320;

    private final OperationsConfig.LogFormat format;
    private final PrintStream out;

    AccessLog(OperationsConfig.LogFormat format, PrintStream out) {
        this.format = format;
        this.out = out;
    }

    @Override
    public void log(RequestLog log) {
        String line;
        if (format == OperationsConfig.LogFormat.JSON) {
            JsonLine json = new JsonLine();
            fields(log, json);
            line = json.text();
        } else {
            PlainLine plain = new PlainLine();
            fields(log, plain);
            line = plain.text();
        }
        out.println(line);
    }

    /** The fields of a line, in order: the one list both formats write. */
    private static void fields(RequestLog log, Line line) {
        line.text("time", AccessLogValues.isoInstant(log.requestStartTimeMillis()));
        String requestId = log.context().attr(RequestIds.REQUEST_ID);
        line.text("request_id", requestId == null ? "-" : requestId);
        String principal = log.context().attr(PRINCIPAL);
        line.text("principal", principal == null ? "-" : principal);
        line.text("rpc", RpcMeterIds.rpc(log));
        line.text("method", log.requestHeaders().method().name());
        line.text("path", log.context() instanceof ServiceRequestContext ctx ? ctx.path() : log.requestHeaders().path());
        line.number("status", log.responseHeaders().status().code());
        String grpcStatus = log.responseTrailers().get("grpc-status");
        if (grpcStatus == null) {
            grpcStatus = log.responseHeaders().get("grpc-status");
        }
        if (grpcStatus != null) {
            line.number("grpc_status", Integer.parseInt(grpcStatus));
        }
        line.millis("latency_ms", TimeUnit.NANOSECONDS.toMicros(log.totalDurationNanos()));
    }

    /** Receives a line's fields; the two formats differ only in how they write them. */
    private interface Line {
        void text(String name, String value);

        void number(String name, int value);

        /** A duration in milliseconds with microsecond precision, written as {@code micros / 1000.0} is. */
        void millis(String name, long micros);
    }

    /**
     * {@code key=value} pairs, written straight into one buffer: a map per line, boxed numbers and
     * {@code Double.toString} were about half of the access log's CPU in the hot-usage profile (ADR 0014).
     */
    private static final class PlainLine implements Line {
        private final StringBuilder line = new StringBuilder(LINE_LENGTH_TYPICAL);

        @Override
        public void text(String name, String value) {
            name(name);
            if (isBare(value)) {
                line.append(value);
            } else {
                // Not a plain token (a path with odd characters): a JSON string, one line, escaped.
                AccessLogValues.appendJsonString(line, value);
            }
        }

        @Override
        public void number(String name, int value) {
            name(name);
            line.append(value);
        }

        @Override
        public void millis(String name, long micros) {
            name(name);
            AccessLogValues.appendMillis(line, micros);
        }

        private void name(String name) {
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(name).append('=');
        }

        String text() {
            return line.toString();
        }
    }

    /**
     * A JSON object per line, written straight into one buffer as Jackson wrote the fields' map
     * (strings, integers, a double as {@code Double.toString}), for the plain line's reason above.
     */
    private static final class JsonLine implements Line {
        private final StringBuilder line = new StringBuilder(LINE_LENGTH_TYPICAL).append('{');

        @Override
        public void text(String name, String value) {
            name(name);
            AccessLogValues.appendJsonString(line, value);
        }

        @Override
        public void number(String name, int value) {
            name(name);
            line.append(value);
        }

        @Override
        public void millis(String name, long micros) {
            name(name);
            AccessLogValues.appendMillis(line, micros);
        }

        /** Names are the fixed lower-case words of {@link #fields}: none needs escaping. */
        private void name(String name) {
            if (line.length() > 1) {
                line.append(',');
            }
            line.append('"').append(name).append("\":");
        }

        String text() {
            return line.append('}').toString();
        }
    }

    private static boolean[] bareCharacters(String punctuation) {
        boolean[] bare = new boolean[128];
        for (char c = 0; c < bare.length; c++) {
            bare[c] = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || punctuation.indexOf(c) >= 0;
        }
        return bare;
    }

    /** True when {@code text} is written without quotes: one or more of the bare characters. */
    static boolean isBare(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int index = 0; index < text.length(); index++) {
            char c = text.charAt(index);
            if (c >= BARE.length || !BARE[c]) {
                return false;
            }
        }
        return true;
    }

}
