package dev.tally.ops;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.linecorp.armeria.common.HttpHeaderNames;
import com.linecorp.armeria.server.ServiceRequestContext;
import dev.tally.auth.Principal;
import dev.tally.common.ErrorCode;
import dev.tally.common.TallyException;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Per-principal rate limit ({@code TALLY_RATE_LIMIT_PER_SECOND}, DESIGN §15): a token bucket per service
 * user, admins included, holding one second's worth of requests. A request over the limit is refused
 * before it does anything, with 429 RESOURCE_EXHAUSTED and {@code Retry-After} in whole seconds. The limit is
 * per process: behind a load balancer with N processes a principal gets up to N times the rate.
 */
final class RateLimits {
    private final int perSecond;
    private final Cache<UUID, Bucket> buckets = Caffeine.newBuilder()
            .expireAfterAccess(Duration.ofMinutes(10))
            .maximumSize(100_000)
            .build();

    RateLimits(int perSecond) {
        this.perSecond = perSecond;
    }

    void admit(Principal principal, ServiceRequestContext ctx) {
        if (perSecond == 0) {
            return;
        }
        Bucket bucket = buckets.get(principal.serviceUserId(), id -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1)).build())
                .build());
        ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return;
        }
        long retryAfterSeconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
        if (ctx != null) {
            ctx.addAdditionalResponseHeader(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        throw new TallyException(ErrorCode.RESOURCE_EXHAUSTED, "rate limit of " + perSecond
                + " requests per second exceeded; retry after " + retryAfterSeconds + " s");
    }
}
