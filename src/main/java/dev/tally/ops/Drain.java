package dev.tally.ops;

import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.common.HttpRequest;
import com.linecorp.armeria.common.HttpResponse;
import com.linecorp.armeria.common.HttpStatus;
import com.linecorp.armeria.common.MediaType;
import com.linecorp.armeria.common.ResponseHeaders;
import com.linecorp.armeria.server.DecoratingHttpServiceFunction;
import com.linecorp.armeria.server.HttpService;
import com.linecorp.armeria.server.ServiceRequestContext;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first half of a graceful shutdown (DESIGN §15). Once {@link #begin()} is called every new request,
 * {@code /ready} included, is answered at once with 503 UNAVAILABLE (and {@code Connection: close}, so an
 * HTTP/1.1 client reconnects, to another process); {@link #awaitIdle} waits for the requests already
 * admitted to be answered. Only then does the server close its port, so no admitted request is cut off.
 */
final class Drain implements DecoratingHttpServiceFunction {
    private static final String BODY = "{\"code\":14,\"message\":\"the server is shutting down; retry\",\"details\":[]}";

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicInteger inFlight = new AtomicInteger();

    @Override
    public HttpResponse serve(HttpService delegate, ServiceRequestContext ctx, HttpRequest req) throws Exception {
        // Counted before the flag is read: a request that saw "not draining" is always waited for.
        inFlight.incrementAndGet();
        if (draining.get()) {
            inFlight.decrementAndGet();
            return HttpResponse.of(ResponseHeaders.builder(HttpStatus.SERVICE_UNAVAILABLE)
                    .contentType(MediaType.JSON_UTF_8)
                    .set(HttpHeaderNames.CONNECTION, "close")
                    .build(), com.linecorp.armeria.common.HttpData.ofUtf8(BODY));
        }
        ctx.log().whenComplete().thenRun(inFlight::decrementAndGet);
        return delegate.serve(ctx, req);
    }

    void begin() {
        draining.set(true);
    }

    boolean draining() {
        return draining.get();
    }

    /** Waits until every admitted request was answered, at most {@code timeout}; true when none is left. */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (inFlight.get() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }
}
