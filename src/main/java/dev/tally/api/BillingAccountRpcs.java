package dev.tally.api;

import dev.tally.api.proto.BillingAccountRequestBody;
import dev.tally.api.proto.CheckCreditEntitlementRequest;
import dev.tally.api.proto.CheckCreditEntitlementResponse;
import dev.tally.api.proto.CreateBillingAccountRequest;
import dev.tally.api.proto.CreateBillingAccountResponse;
import dev.tally.api.proto.DisableBillingAccountRequest;
import dev.tally.api.proto.DisableBillingAccountResponse;
import dev.tally.api.proto.EnableBillingAccountRequest;
import dev.tally.api.proto.EnableBillingAccountResponse;
import dev.tally.api.proto.GetBillingAccountDetailsRequest;
import dev.tally.api.proto.GetBillingAccountDetailsResponse;
import dev.tally.api.proto.GetBillingAccountRequest;
import dev.tally.api.proto.GetBillingAccountResponse;
import dev.tally.api.proto.GetBillingBalanceRequest;
import dev.tally.api.proto.GetBillingBalanceResponse;
import dev.tally.api.proto.ListAllBillingAccountsRequest;
import dev.tally.api.proto.ListAllBillingAccountsResponse;
import dev.tally.api.proto.ListBillingAccountsRequest;
import dev.tally.api.proto.ListBillingAccountsResponse;
import dev.tally.api.proto.UpdateBillingAccountLimitsRequest;
import dev.tally.api.proto.UpdateBillingAccountLimitsResponse;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountService;
import dev.tally.billing.account.NewBillingAccount;
import dev.tally.billing.ledger.BalanceAsOf;
import dev.tally.billing.ledger.TransactionHistoryService;
import dev.tally.billing.ledger.HoldService;
import dev.tally.common.TallyException;

/** The billing-account RPCs, proto in and proto out; REST and gRPC adapters both call these. */
final class BillingAccountRpcs {
    private final BillingAccountService accounts;
    private final TransactionHistoryService history;
    private final HoldService holds;

    BillingAccountRpcs(BillingAccountService accounts, TransactionHistoryService history, HoldService holds) {
        this.accounts = accounts;
        this.history = history;
        this.holds = holds;
    }

    CreateBillingAccountResponse create(Principal principal, CreateBillingAccountRequest request) {
        BillingAccountRequestBody body = request.getBody();
        NewBillingAccount account = new NewBillingAccount(body.getName(), body.getEmail(), body.getPhone(),
                ProtoJson.compact(body.getAddress()), body.getCurrency(),
                ProtoJson.metadata("body.metadata", body.getMetadata()));
        return CreateBillingAccountResponse.newBuilder()
                .setBillingAccount(ProtoMapping.billingAccount(accounts.create(principal, request.getOrgId(), account)))
                .build();
    }

    ListBillingAccountsResponse list(Principal principal, ListBillingAccountsRequest request) {
        var response = ListBillingAccountsResponse.newBuilder();
        accounts.list(principal, required("org_id", request.getOrgId()))
                .forEach(account -> response.addBillingAccounts(ProtoMapping.billingAccount(account)));
        return response.build();
    }

    ListAllBillingAccountsResponse listAll(Principal principal, ListAllBillingAccountsRequest request) {
        var response = ListAllBillingAccountsResponse.newBuilder();
        accounts.listAll(principal, request.getOrgId())
                .forEach(account -> response.addBillingAccounts(ProtoMapping.billingAccount(account)));
        return response.build();
    }

    GetBillingAccountResponse get(Principal principal, GetBillingAccountRequest request) {
        BillingAccount account = accounts.get(principal, selector(request.getOrgId(), request.getId()));
        return GetBillingAccountResponse.newBuilder().setBillingAccount(ProtoMapping.billingAccount(account)).build();
    }

    EnableBillingAccountResponse enable(Principal principal, EnableBillingAccountRequest request) {
        accounts.setEnabled(principal, selector(request.getOrgId(), request.getId()), true);
        return EnableBillingAccountResponse.getDefaultInstance();
    }

    DisableBillingAccountResponse disable(Principal principal, DisableBillingAccountRequest request) {
        accounts.setEnabled(principal, selector(request.getOrgId(), request.getId()), false);
        return DisableBillingAccountResponse.getDefaultInstance();
    }

    GetBillingBalanceResponse balance(Principal principal, GetBillingBalanceRequest request) {
        if (request.hasAt()) {
            BalanceAsOf balance = history.balanceAt(principal, selector(request.getOrgId(), request.getId()),
                    ProtoMapping.instant(request.getAt()));
            return GetBillingBalanceResponse.newBuilder().setBalance(ProtoMapping.balance(balance)).build();
        }
        HoldService.Balance balance = holds.balance(principal, selector(request.getOrgId(), request.getId()));
        return GetBillingBalanceResponse.newBuilder()
                .setBalance(ProtoMapping.balance(balance.account()))
                .setHeld(balance.held())
                .setAvailable(balance.available())
                .build();
    }

    CheckCreditEntitlementResponse checkCredit(Principal principal, CheckCreditEntitlementRequest request) {
        boolean status = holds.hasCredit(principal, required("org_id", request.getOrgId()), request.getAmount());
        return CheckCreditEntitlementResponse.newBuilder().setStatus(status).build();
    }

    UpdateBillingAccountLimitsResponse updateLimits(Principal principal, UpdateBillingAccountLimitsRequest request) {
        accounts.updateCreditMin(principal, selector(request.getOrgId(), request.getId()), request.getCreditMin());
        return UpdateBillingAccountLimitsResponse.getDefaultInstance();
    }

    GetBillingAccountDetailsResponse details(Principal principal, GetBillingAccountDetailsRequest request) {
        principal.requireAdmin();
        BillingAccount account = accounts.get(principal, selector(request.getOrgId(), request.getId()));
        return GetBillingAccountDetailsResponse.newBuilder()
                .setCreditMin(account.creditMin())
                .setDueInDays(account.dueInDays())
                .build();
    }

    /** An account named by organization and id, both required, as these RPCs' paths have them. */
    private static AccountSelector selector(String orgId, String id) {
        return AccountSelector.of(required("org_id", orgId), required("id", id));
    }

    static String required(String field, String value) {
        if (value.isEmpty()) {
            throw TallyException.invalidArgument(field + ": empty (expected: a value)");
        }
        return value;
    }
}
