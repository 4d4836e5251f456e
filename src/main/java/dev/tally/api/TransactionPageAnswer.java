package dev.tally.api;

import com.google.protobuf.Message;
import com.linecorp.armeria.common.HttpData;
import dev.tally.billing.ledger.TransactionPage;

/** ListBillingTransactions' answer: its JSON written from the entries, its message built only when asked for. */
record TransactionPageAnswer(TransactionPage page) implements Answer {
    @Override
    public Message message() {
        return ProtoMapping.transactions(page);
    }

    @Override
    public HttpData json() {
        return TransactionPageJson.write(page);
    }
}
