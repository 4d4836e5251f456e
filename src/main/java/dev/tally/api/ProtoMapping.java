package dev.tally.api;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.tally.common.TallyException;
import dev.tally.api.proto.BillingAccount;
import dev.tally.api.proto.BillingTransaction;
import dev.tally.api.proto.ListBillingTransactionsResponse;
import dev.tally.api.proto.Organization;
import dev.tally.api.proto.Project;
import dev.tally.api.proto.SecretCredential;
import dev.tally.api.proto.ServiceUser;
import dev.tally.auth.ServiceUserService;
import dev.tally.api.proto.UsageSummaryBucket;
import dev.tally.billing.ledger.BalanceAsOf;
import dev.tally.billing.ledger.LedgerEntry;
import dev.tally.billing.ledger.TransactionPage;
import dev.tally.billing.ledger.UsageBucket;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** Domain records to Frontier's messages. Nothing outside the api package sees proto types. */
final class ProtoMapping {
    private ProtoMapping() {}

    static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }

    /** A caller's timestamp; outside 0001-01-01..9999-12-31 it is refused, as JSON callers' are. */
    static Instant instant(Timestamp timestamp) {
        if (!Timestamps.isValid(timestamp)) {
            throw TallyException.invalidArgument("timestamp: " + timestamp.getSeconds()
                    + " s (expected: between 0001-01-01 and 9999-12-31)");
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    static Organization organization(dev.tally.organization.Organization org) {
        return Organization.newBuilder()
                .setId(org.id().toString())
                .setName(org.name())
                .setTitle(org.title())
                .setState(org.state())
                .setMetadata(ProtoJson.struct(org.metadata()))
                .setCreatedAt(timestamp(org.createdAt()))
                .setUpdatedAt(timestamp(org.updatedAt()))
                .build();
    }

    static Project project(dev.tally.project.Project project) {
        return Project.newBuilder()
                .setId(project.id().toString())
                .setName(project.name())
                .setTitle(project.title())
                .setOrgId(project.organizationId().toString())
                .setMetadata(ProtoJson.struct(project.metadata()))
                .setCreatedAt(timestamp(project.createdAt()))
                .setUpdatedAt(timestamp(project.updatedAt()))
                .build();
    }

    static BillingAccount billingAccount(dev.tally.billing.account.BillingAccount account) {
        return BillingAccount.newBuilder()
                .setId(account.id().toString())
                .setOrgId(account.organizationId().toString())
                .setName(account.name())
                .setEmail(account.email())
                .setPhone(account.phone())
                .setAddress(ProtoJson.parse(account.address(), BillingAccount.Address.newBuilder()))
                .setCurrency(account.currency())
                .setState(account.state())
                .setMetadata(ProtoJson.struct(account.metadata()))
                .setCreatedAt(timestamp(account.createdAt()))
                .setUpdatedAt(timestamp(account.updatedAt()))
                .build();
    }

    static BillingAccount.Balance balance(dev.tally.billing.account.BillingAccount account) {
        return BillingAccount.Balance.newBuilder()
                .setAmount(account.balance())
                .setCurrency(account.currency())
                .setUpdatedAt(timestamp(account.balanceUpdatedAt()))
                .build();
    }

    static BillingTransaction transaction(LedgerEntry entry) {
        Timestamp createdAt = timestamp(entry.createdAt());
        return BillingTransaction.newBuilder()
                .setId(entry.id().toString())
                .setCustomerId(entry.accountId().toString())
                .setSource(entry.source())
                .setAmount(entry.amount())
                .setType(entry.type().wireName())
                .setDescription(entry.description())
                .setUserId(entry.userId())
                .setMetadata(ProtoJson.struct(entry.metadata()))
                .setCreatedAt(createdAt)
                .setUpdatedAt(createdAt)
                .build();
    }

    static ListBillingTransactionsResponse transactions(TransactionPage page) {
        var response = ListBillingTransactionsResponse.newBuilder();
        page.entries().forEach(entry -> response.addTransactions(transaction(entry)));
        page.nextPageToken().ifPresent(response::setNextPageToken);
        return response.build();
    }

    static UsageSummaryBucket usageBucket(UsageBucket bucket) {
        return UsageSummaryBucket.newBuilder()
                .setStart(timestamp(bucket.start()))
                .setEnd(timestamp(bucket.end()))
                .setSource(bucket.source())
                .setUsage(bucket.usage())
                .setReverted(bucket.reverted())
                .setNet(bucket.net())
                .setUsageCount(bucket.usageCount())
                .build();
    }

    static BillingAccount.Balance balance(BalanceAsOf balance) {
        return BillingAccount.Balance.newBuilder()
                .setAmount(balance.amount())
                .setCurrency(balance.account().currency())
                .setUpdatedAt(timestamp(balance.updatedAt()))
                .build();
    }

    static ServiceUser serviceUser(dev.tally.auth.ServiceUser user) {
        return ServiceUser.newBuilder()
                .setId(user.id().toString())
                .setOrgId(user.organizationId().map(UUID::toString).orElse(""))
                .setTitle(user.title())
                .setState(user.state())
                .setMetadata(ProtoJson.struct(user.metadata()))
                .setCreatedAt(timestamp(user.createdAt()))
                .setUpdatedAt(timestamp(user.updatedAt()))
                .build();
    }

    static SecretCredential secret(ServiceUserService.IssuedSecret issued) {
        return SecretCredential.newBuilder()
                .setId(issued.credential().id())
                .setTitle(issued.credential().title())
                .setSecret(issued.secret())
                .setCreatedAt(timestamp(issued.credential().createdAt()))
                .build();
    }

    static Optional<Instant> optionalInstant(boolean present, Timestamp timestamp) {
        return present ? Optional.of(instant(timestamp)) : Optional.empty();
    }
}
