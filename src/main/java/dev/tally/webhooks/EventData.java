package dev.tally.webhooks;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.ledger.Hold;
import dev.tally.billing.ledger.LedgerEntry;

/**
 * The {@code data} object of each event: always {@code org_id} and {@code customer_id}, then what
 * the event is about. int64 values are JSON strings, as everywhere in Frontier's JSON.
 */
final class EventData {
    private EventData() {}

    static ObjectNode account(BillingAccount account) {
        ObjectNode data = Json.object();
        data.put("org_id", account.organizationId().toString());
        data.put("customer_id", account.id().toString());
        return data;
    }

    /** An entry as Frontier's BillingTransaction prints it. */
    static ObjectNode transaction(LedgerEntry entry) {
        ObjectNode transaction = Json.object();
        transaction.put("id", entry.id().toString());
        transaction.put("customer_id", entry.accountId().toString());
        transaction.put("source", entry.source());
        transaction.put("amount", Long.toString(entry.amount()));
        transaction.put("type", entry.type().wireName());
        transaction.put("description", entry.description());
        transaction.put("user_id", entry.userId());
        transaction.set("metadata", Json.readObject(entry.metadata().json()));
        transaction.put("created_at", entry.createdAt().toString());
        transaction.put("updated_at", entry.createdAt().toString());
        return transaction;
    }

    /** A hold as the hold RPCs print it (DESIGN §12). */
    static ObjectNode hold(Hold hold) {
        ObjectNode json = Json.object();
        json.put("id", hold.id().toString());
        json.put("customer_id", hold.accountId().toString());
        json.put("amount", Long.toString(hold.amount()));
        json.put("captured_amount", Long.toString(hold.capturedAmount().orElse(0)));
        json.put("state", hold.storedState().wireName());
        json.put("expires_at", hold.expiresAt().toString());
        json.put("usage_id", hold.usageId().map(Object::toString).orElse(""));
        json.put("source", hold.source());
        json.put("description", hold.description());
        json.put("user_id", hold.userId());
        json.set("metadata", Json.readObject(hold.metadata().json()));
        json.put("created_at", hold.createdAt().toString());
        json.put("updated_at", hold.updatedAt().toString());
        return json;
    }

    static ObjectNode withTransaction(BillingAccount account, LedgerEntry entry, long balanceAfter) {
        ObjectNode data = account(account);
        data.set("transaction", transaction(entry));
        data.put("balance", Long.toString(balanceAfter));
        return data;
    }
}
