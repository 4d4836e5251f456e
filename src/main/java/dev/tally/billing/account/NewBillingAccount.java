package dev.tally.billing.account;

import dev.tally.common.Metadata;
import dev.tally.common.Text;

/** What a caller sends to open a billing account; checked as it enters. */
public record NewBillingAccount(
        String name, String email, String phone, String address, String currency, Metadata metadata) {
    private static final int CURRENCY_LENGTH_MAX = 16;
    private static final int ADDRESS_LENGTH_MAX = 4096;

    public NewBillingAccount {
        Text.checkLength("name", name);
        Text.checkLength("email", email);
        Text.checkLength("phone", phone);
        Text.checkLength("address", address, ADDRESS_LENGTH_MAX);
        currency = currency.isEmpty() ? BillingAccount.CURRENCY_DEFAULT : currency;
        Text.checkLength("currency", currency, CURRENCY_LENGTH_MAX);
    }
}
