package dev.tally.bench;

import com.linecorp.armeria.common.HttpMethod;

import java.time.Duration;
import java.time.Instant;

/**
 * The grants workload (DESIGN §13): usage on a hot account holding 10 active grants (mixed
 * priorities and expiries) against one holding a single grant, in one run, both warm
 * ({@link WarmComparison}); prints the ratio (target: at least 0.8).
 */
final class GrantsWorkload {
    private static final int GRANTS = 10;

    private final BenchApi api;
    private final WarmComparison.Runner runner;
    private final String dbUrl;

    /** {@code dbUrl}: Tally's database for the invariant check, or null to check through the API. */
    GrantsWorkload(BenchApi api, WarmComparison.Runner runner, String dbUrl) {
        this.api = api;
        this.runner = runner;
        this.dbUrl = dbUrl;
    }

    /** Runs both phases and prints them, the ratio and the invariant; true when nothing failed. */
    boolean run(long credits) throws Exception {
        BenchApi.BenchAccounts one = api.createAccounts(1, credits);
        BenchApi.BenchAccounts ten = manyGrants(credits);
        WarmComparison.Result result = WarmComparison.run(runner,
                new WarmComparison.Phase("h. 1 usage/request, hot account, 1 grant",
                        () -> api.usages(one, 0, 1, null)),
                new WarmComparison.Phase("h. 1 usage/request, hot account, 10 grants",
                        () -> api.usages(ten, 0, 1, null)));
        LoadResult single = result.first();
        LoadResult many = result.second();
        System.out.println(single.describe());
        System.out.println(many.describe());
        System.out.printf("%34s 10 grants / 1 grant, both warm: %.2f (DESIGN §13: at least 0.80)%n", "",
                result.ratio());
        String invariant = InvariantCheck.after(api, dbUrl, ten);
        System.out.println("    " + invariant);
        return invariant.contains("OK") && single.failed() == 0 && many.failed() == 0;
    }

    /**
     * One account holding {@value #GRANTS} grants of a tenth of {@code credits} each: the account's
     * own (priority 50, no expiry), then priorities 10 to 90, every other one expiring 30+ days out.
     */
    private BenchApi.BenchAccounts manyGrants(long credits) {
        BenchApi.BenchAccounts ten = api.createAccounts(1, credits / GRANTS);
        String tenCredits = ten.path(0).replace("/v1beta1/", "/v1beta1/admin/") + "/credits";
        for (int grant = 1; grant < GRANTS; grant++) {
            String expiry = grant % 2 == 0 ? "" : ",\"expires_at\":\"" + Instant.now().plus(
                    Duration.ofDays(30 + grant)) + "\"";
            api.call(HttpMethod.POST, tenCredits, "{\"amount\":\"" + credits / GRANTS + "\",\"source\":\"bench\","
                    + "\"priority\":" + (10 * grant) + expiry + "}");
        }
        return ten;
    }
}
