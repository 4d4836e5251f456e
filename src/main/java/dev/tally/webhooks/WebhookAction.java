package dev.tally.webhooks;

import dev.tally.common.TallyException;
import dev.tally.common.Text;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The billing events a webhook can subscribe to (DESIGN §14), by their wire names. */
public enum WebhookAction {
    CREDIT_GRANTED("app.billing.credit.granted"),
    USAGE_REVERTED("app.billing.usage.reverted"),
    BALANCE_THRESHOLD("app.billing.balance.threshold"),
    BALANCE_DEPLETED("app.billing.balance.depleted"),
    CREDIT_EXPIRED("app.billing.credit.expired"),
    HOLD_EXPIRED("app.billing.hold.expired"),
    ACCOUNT_DISABLED("app.billing.account.disabled"),
    ACCOUNT_ENABLED("app.billing.account.enabled"),
    LIMITS_UPDATED("app.billing.limits.updated"),
    /** One event per usage entry: sent only to webhooks that name it. */
    USAGE_CREATED("app.billing.usage.created");

    private final String wireName;

    WebhookAction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The firehose is never part of "every event" (an empty subscription). */
    public boolean isFirehose() {
        return this == USAGE_CREATED;
    }

    /** The action named {@code name}, or INVALID_ARGUMENT naming {@code field}. */
    static WebhookAction fromWireName(String field, String name) {
        for (WebhookAction action : values()) {
            if (action.wireName.equals(name)) {
                return action;
            }
        }
        throw TallyException.invalidArgument(field + ": " + Text.quote(name) + " (expected: one of "
                + Arrays.stream(values()).map(WebhookAction::wireName).collect(Collectors.joining(", ")) + ")");
    }
}
