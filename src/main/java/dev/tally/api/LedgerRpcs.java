package dev.tally.api;

import dev.tally.api.proto.AddBillingCreditsRequest;
import dev.tally.api.proto.AddBillingCreditsResponse;
import dev.tally.api.proto.BillingAccount.Balance;
import dev.tally.api.proto.CreateBillingUsageRequest;
import dev.tally.api.proto.CreateBillingUsageResponse;
import dev.tally.api.proto.GetBillingUsageSummaryRequest;
import dev.tally.api.proto.GetBillingUsageSummaryResponse;
import dev.tally.api.proto.ListBillingTransactionsRequest;
import dev.tally.api.proto.RevertBillingUsageRequest;
import dev.tally.api.proto.RevertBillingUsageResponse;
import dev.tally.api.proto.TotalDebitedTransactionsRequest;
import dev.tally.api.proto.TotalDebitedTransactionsResponse;
import dev.tally.api.proto.Usage;
import dev.tally.auth.Principal;
import dev.tally.billing.account.AccountSelector;
import dev.tally.billing.account.BillingAccount;
import dev.tally.billing.account.BillingAccountService;
import dev.tally.billing.ledger.GrantService;
import dev.tally.billing.ledger.NewGrant;
import dev.tally.billing.ledger.NewUsage;
import dev.tally.billing.ledger.RevertService;
import dev.tally.billing.ledger.HistoryFilter;
import dev.tally.billing.ledger.SummaryWindow;
import dev.tally.billing.ledger.TransactionExport;
import dev.tally.billing.ledger.TransactionHistoryService;
import dev.tally.billing.ledger.TransactionPage;
import dev.tally.billing.ledger.UsageBucket;
import dev.tally.billing.ledger.UsageSummaryService;
import dev.tally.billing.ledger.UsageService;
import dev.tally.common.TallyException;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/** The ledger RPCs: usage, revert, credits and the reads of entries and totals. */
final class LedgerRpcs {
    private final UsageService usages;
    private final RevertService reverts;
    private final GrantService grants;
    private final TransactionHistoryService history;
    private final UsageSummaryService summaries;
    private final BillingAccountService accounts;

    LedgerRpcs(UsageService usages, RevertService reverts, GrantService grants, TransactionHistoryService history,
               UsageSummaryService summaries, BillingAccountService accounts) {
        this.usages = usages;
        this.reverts = reverts;
        this.grants = grants;
        this.history = history;
        this.summaries = summaries;
        this.accounts = accounts;
    }

    /** Refusals of the request itself are thrown; the group's outcome arrives with the future (no thread waits). */
    CompletableFuture<CreateBillingUsageResponse> createUsage(Principal principal, CreateBillingUsageRequest request) {
        if (request.getUsagesCount() > UsageService.USAGES_PER_REQUEST_MAX) {
            throw TallyException.invalidArgument("usages: " + request.getUsagesCount()
                    + " (expected: at most " + UsageService.USAGES_PER_REQUEST_MAX + ")");
        }
        List<NewUsage> batch = new ArrayList<>(request.getUsagesCount());
        for (int index = 0; index < request.getUsagesCount(); index++) {
            Usage usage = request.getUsages(index);
            String field = "usages[" + index + "]";
            batch.add(NewUsage.fromCaller(field, usage.getId(), usage.getType(), usage.getAmount(), usage.getSource(),
                    usage.getDescription(), usage.getUserId(), ProtoJson.metadata(field + ".metadata", usage.getMetadata())));
        }
        return usages.report(principal,
                new AccountSelector(request.getOrgId(), request.getProjectId(), request.getBillingId()), batch,
                RequestDeadlines.ofCurrentRequest()).thenApply(applied -> CreateBillingUsageResponse.getDefaultInstance());
    }

    RevertBillingUsageResponse revert(Principal principal, RevertBillingUsageRequest request) {
        reverts.revert(principal, new AccountSelector(request.getOrgId(), request.getProjectId(), request.getBillingId()),
                request.getUsageId(), request.getAmount());
        return RevertBillingUsageResponse.getDefaultInstance();
    }

    AddBillingCreditsResponse addCredits(Principal principal, AddBillingCreditsRequest request) {
        NewGrant grant = NewGrant.fromCaller(request.getId(), request.getAmount(), request.getSource(),
                request.getDescription(), request.getUserId(), ProtoJson.metadata("metadata", request.getMetadata()),
                ProtoMapping.optionalInstant(request.hasExpiresAt(), request.getExpiresAt()),
                request.hasPriority() ? OptionalInt.of(request.getPriority()) : OptionalInt.empty());
        var entry = grants.grant(principal, AccountSelector.of(
                BillingAccountRpcs.required("org_id", request.getOrgId()),
                BillingAccountRpcs.required("billing_id", request.getBillingId())), grant);
        return AddBillingCreditsResponse.newBuilder().setTransaction(ProtoMapping.transaction(entry)).build();
    }

    /** A page; its JSON is written from the entries, its ListBillingTransactionsResponse built only for gRPC/proto. */
    Answer transactions(Principal principal, ListBillingTransactionsRequest request) {
        TransactionPage page = history.list(principal, transactionsAccount(request), transactionsFilter(request),
                request.getPageSize(), request.getPageToken());
        return new TransactionPageAnswer(page);
    }

    /** Every entry of the list's range and filters, for the CSV export of the same path. */
    TransactionExport export(Principal principal, ListBillingTransactionsRequest request) {
        return history.export(principal, transactionsAccount(request), transactionsFilter(request));
    }

    private static AccountSelector transactionsAccount(ListBillingTransactionsRequest request) {
        return AccountSelector.of(BillingAccountRpcs.required("org_id", request.getOrgId()), request.getBillingId());
    }

    private static HistoryFilter transactionsFilter(ListBillingTransactionsRequest request) {
        // "since" is the old name of start_range; start_range wins when both are sent.
        Optional<Instant> start = request.hasStartRange()
                ? Optional.of(ProtoMapping.instant(request.getStartRange()))
                : ProtoMapping.optionalInstant(request.hasSince(), request.getSince());
        Optional<Instant> end = ProtoMapping.optionalInstant(request.hasEndRange(), request.getEndRange());
        return HistoryFilter.of(start, end, request.getType(), request.getSource());
    }

    GetBillingUsageSummaryResponse usageSummary(Principal principal, GetBillingUsageSummaryRequest request) {
        if (!request.hasStartRange() || !request.hasEndRange()) {
            throw TallyException.invalidArgument("start_range and end_range: required for a usage summary");
        }
        List<UsageBucket> buckets = summaries.summary(principal, AccountSelector.of(
                        BillingAccountRpcs.required("org_id", request.getOrgId()),
                        BillingAccountRpcs.required("billing_id", request.getBillingId())),
                ProtoMapping.instant(request.getStartRange()), ProtoMapping.instant(request.getEndRange()),
                SummaryWindow.fromWireName(request.getWindow()), request.getGroupBy());
        var response = GetBillingUsageSummaryResponse.newBuilder();
        buckets.forEach(bucket -> response.addBuckets(ProtoMapping.usageBucket(bucket)));
        return response.build();
    }

    TotalDebitedTransactionsResponse totalDebited(Principal principal, TotalDebitedTransactionsRequest request) {
        BillingAccount account = accounts.get(principal, AccountSelector.of(
                BillingAccountRpcs.required("org_id", request.getOrgId()),
                BillingAccountRpcs.required("billing_id", request.getBillingId())));
        return TotalDebitedTransactionsResponse.newBuilder()
                .setDebited(Balance.newBuilder().setAmount(account.debited()).setCurrency(account.currency()))
                .build();
    }
}
