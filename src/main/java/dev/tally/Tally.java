package dev.tally;

import dev.tally.audit.AuditLog;
import dev.tally.auth.AdminBootstrap;
import dev.tally.auth.Authenticator;
import dev.tally.auth.ServiceUserRepository;
import dev.tally.auth.ServiceUserService;
import dev.tally.billing.account.AccountResolver;
import dev.tally.billing.account.BillingAccountRepository;
import dev.tally.billing.account.BillingAccountService;
import dev.tally.billing.ledger.GrantExpiry;
import dev.tally.billing.ledger.GrantService;
import dev.tally.billing.ledger.GrantSweeper;
import dev.tally.billing.ledger.LedgerRepository;
import dev.tally.billing.ledger.HoldRepository;
import dev.tally.billing.ledger.HoldService;
import dev.tally.billing.ledger.HoldSweeper;
import dev.tally.billing.ledger.RevertService;
import dev.tally.billing.ledger.TransactionHistoryService;
import dev.tally.billing.ledger.UsageService;
import dev.tally.billing.ledger.UsageSummaryService;
import dev.tally.billing.ledger.UsageWriter;
import dev.tally.config.TallyConfig;
import dev.tally.idempotency.IdempotencyService;
import dev.tally.organization.OrganizationRepository;
import dev.tally.organization.OrganizationService;
import dev.tally.project.ProjectRepository;
import dev.tally.project.ProjectService;
import dev.tally.storage.Database;
import dev.tally.webhooks.Webhooks;

import java.time.Clock;
import java.time.Duration;

/** The feature services, wired by hand over one database and one clock. */
public final class Tally implements AutoCloseable {

    private final Database database;
    private final Clock clock;
    private final ServiceUserRepository serviceUserRepository = new ServiceUserRepository();
    private final Authenticator authenticator;
    private final OrganizationService organizations;
    private final ProjectService projects;
    private final ServiceUserService serviceUsers;
    private final BillingAccountService billingAccounts;
    private final UsageWriter usageWriter;
    private final UsageService usages;
    private final RevertService reverts;
    private final HoldService holds;
    private final HoldSweeper holdSweeper;
    private final GrantSweeper grantSweeper;
    private final GrantService grants;
    private final GrantExpiry grantExpiry;
    private final TransactionHistoryService history;
    private final UsageSummaryService usageSummaries;
    private final IdempotencyService idempotency;
    private final Duration requestTimeout;
    private final Webhooks webhooks;
    private final AuditLog auditLog;

    /** How often expired holds are marked; only bookkeeping, expiry counts at expires_at regardless. */
    private static final Duration HOLD_SWEEP_INTERVAL = Duration.ofSeconds(10);
    /** How often grant expiries are written; DESIGN §13 allows 60 s after expires_at. */
    private static final Duration GRANT_SWEEP_INTERVAL = Duration.ofSeconds(10);

    public Tally(Database database, Clock clock) {
        this(database, clock, TallyConfig.USAGE_LANES_DEFAULT, IdempotencyService.LEASE_DEFAULT);
    }

    public Tally(Database database, Clock clock, int usageLanes, Duration idempotencyLease) {
        this(database, clock, usageLanes, idempotencyLease, TallyConfig.USAGE_QUEUE_MAX_DEFAULT,
                Duration.ofMillis(TallyConfig.REQUEST_TIMEOUT_MILLIS_DEFAULT));
    }

    /**
     * @param usageLanes       how many usage groups may commit at once (see {@link UsageWriter})
     * @param idempotencyLease how long an unanswered Idempotency-Key claim blocks its retries
     * @param usageQueueMax    how many usage requests may wait in one lane before more are refused (503)
     * @param requestTimeout   every request's deadline, from the HTTP layer down to the usage lanes
     */
    public Tally(Database database, Clock clock, int usageLanes, Duration idempotencyLease, int usageQueueMax,
                 Duration requestTimeout) {
        this.database = database;
        this.requestTimeout = requestTimeout;
        this.clock = clock;
        this.authenticator = new Authenticator(database, serviceUserRepository);
        this.organizations = new OrganizationService(database, new OrganizationRepository(), clock);
        this.projects = new ProjectService(database, new ProjectRepository(), organizations, clock);
        this.serviceUsers = new ServiceUserService(database, serviceUserRepository, organizations, clock);
        BillingAccountRepository accountRepository = new BillingAccountRepository(database.batchWrites());
        LedgerRepository ledger = new LedgerRepository(database.batchWrites());
        AccountResolver resolver = new AccountResolver(accountRepository, organizations, projects);
        this.webhooks = new Webhooks(database, resolver, clock);
        this.billingAccounts = new BillingAccountService(database, accountRepository, resolver, organizations, clock,
                webhooks.events());
        this.usageWriter = new UsageWriter(database, accountRepository, ledger, clock, usageLanes, usageQueueMax,
                webhooks.events());
        this.usages = new UsageService(database, resolver, usageWriter);
        this.reverts = new RevertService(database, resolver, accountRepository, ledger, clock, webhooks.events());
        this.holds = new HoldService(database, resolver, new HoldRepository(), ledger, usages, accountRepository,
                webhooks.events(), clock);
        this.holdSweeper = new HoldSweeper(holds, HOLD_SWEEP_INTERVAL);
        this.grants = new GrantService(database, resolver, accountRepository, ledger, clock, webhooks.events());
        this.grantExpiry = new GrantExpiry(database, accountRepository, ledger, clock, webhooks.events());
        this.grantSweeper = new GrantSweeper(grantExpiry, GRANT_SWEEP_INTERVAL);
        this.history = new TransactionHistoryService(database, resolver);
        this.usageSummaries = new UsageSummaryService(database, resolver);
        this.idempotency = new IdempotencyService(database, clock, idempotencyLease);
        this.auditLog = new AuditLog(database);
    }

    public void bootstrapAdmin(TallyConfig config) {
        new AdminBootstrap(database, serviceUserRepository, clock).ensureAdmin(config);
    }

    /** Stops the usage lanes; the database is closed by its owner. */
    @Override
    public void close() {
        holdSweeper.close();
        grantSweeper.close();
        usageWriter.close();
    }

    public Database database() { return database; }
    public Clock clock() { return clock; }
    public Authenticator authenticator() { return authenticator; }
    public OrganizationService organizations() { return organizations; }
    public ProjectService projects() { return projects; }
    public ServiceUserService serviceUsers() { return serviceUsers; }
    public BillingAccountService billingAccounts() { return billingAccounts; }
    public UsageService usages() { return usages; }
    public UsageWriter usageWriter() { return usageWriter; }
    public RevertService reverts() { return reverts; }
    public HoldService holds() { return holds; }
    public GrantService grants() { return grants; }
    public GrantExpiry grantExpiry() { return grantExpiry; }
    public TransactionHistoryService history() { return history; }
    public UsageSummaryService usageSummaries() { return usageSummaries; }
    public IdempotencyService idempotency() { return idempotency; }
    public Duration requestTimeout() { return requestTimeout; }
    public Webhooks webhooks() { return webhooks; }
    public AuditLog auditLog() { return auditLog; }
}
