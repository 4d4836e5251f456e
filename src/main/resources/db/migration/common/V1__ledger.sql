-- Tally's schema. The same SQL runs on H2 and PostgreSQL, and stays inside what
-- PostgreSQL-wire distributed databases accept: no triggers, no sequences, no stored code.

CREATE TABLE organizations (
    id          UUID PRIMARY KEY,
    name        VARCHAR(255) NOT NULL,
    title       VARCHAR(255) NOT NULL,
    state       VARCHAR(16) NOT NULL,
    metadata    VARCHAR(65536) NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT organizations_name_unique UNIQUE (name)
);

CREATE TABLE projects (
    id          UUID PRIMARY KEY,
    org_id      UUID NOT NULL REFERENCES organizations (id),
    name        VARCHAR(255) NOT NULL,
    title       VARCHAR(255) NOT NULL,
    state       VARCHAR(16) NOT NULL,
    metadata    VARCHAR(65536) NOT NULL,
    created_by  VARCHAR(255) NOT NULL,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT projects_name_unique UNIQUE (name)
);
CREATE INDEX projects_org ON projects (org_id, created_at);

-- balance and debited are derived from billing_transactions and kept here so that reading them
-- is O(1): every statement that inserts an entry updates them in the same transaction.
CREATE TABLE billing_accounts (
    id                  UUID PRIMARY KEY,
    org_id              UUID NOT NULL REFERENCES organizations (id),
    name                VARCHAR(255) NOT NULL,
    email               VARCHAR(255) NOT NULL,
    phone               VARCHAR(255) NOT NULL,
    address             VARCHAR(4096) NOT NULL,
    currency            VARCHAR(16) NOT NULL,
    state               VARCHAR(16) NOT NULL,
    credit_min          BIGINT NOT NULL,
    due_in_days         BIGINT NOT NULL,
    balance             BIGINT NOT NULL,
    debited             BIGINT NOT NULL,
    metadata            VARCHAR(65536) NOT NULL,
    created_by          VARCHAR(255) NOT NULL,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    balance_updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX billing_accounts_org ON billing_accounts (org_id, created_at);

-- The ledger: rows are inserted, never updated or deleted.
-- id is the caller's idempotency key (usage id, grant id) or the derived revert id.
-- reverted_usage_id is unique: a usage can be reverted once, whatever the concurrency.
CREATE TABLE billing_transactions (
    id                 UUID PRIMARY KEY,
    account_id         UUID NOT NULL REFERENCES billing_accounts (id),
    kind               VARCHAR(8) NOT NULL,
    type               VARCHAR(8) NOT NULL,
    amount             BIGINT NOT NULL,
    source             VARCHAR(512) NOT NULL,
    description        VARCHAR(1024) NOT NULL,
    user_id            VARCHAR(255) NOT NULL,
    metadata           VARCHAR(65536) NOT NULL,
    reverted_usage_id  UUID REFERENCES billing_transactions (id),
    created_by         VARCHAR(255) NOT NULL,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT billing_transactions_amount_positive CHECK (amount > 0),
    CONSTRAINT billing_transactions_kind_valid CHECK (kind IN ('usage', 'grant', 'revert')),
    CONSTRAINT billing_transactions_type_valid CHECK (type IN ('debit', 'credit')),
    CONSTRAINT billing_transactions_kind_type CHECK (
        (kind = 'usage' AND type = 'debit') OR (kind <> 'usage' AND type = 'credit')),
    CONSTRAINT billing_transactions_revert_names_usage CHECK (
        (kind = 'revert') = (reverted_usage_id IS NOT NULL)),
    CONSTRAINT billing_transactions_revert_once UNIQUE (reverted_usage_id)
);
CREATE INDEX billing_transactions_account_created ON billing_transactions (account_id, created_at);

CREATE TABLE service_users (
    id              UUID PRIMARY KEY,
    org_id          UUID REFERENCES organizations (id),
    title           VARCHAR(255) NOT NULL,
    state           VARCHAR(16) NOT NULL,
    metadata        VARCHAR(65536) NOT NULL,
    platform_admin  BOOLEAN NOT NULL,
    created_by      VARCHAR(255) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT service_users_scope CHECK (platform_admin OR org_id IS NOT NULL)
);

-- Only a SHA-256 of each secret is kept; secrets are 256-bit random values, so a slow
-- password hash would add latency to every request without adding protection.
CREATE TABLE service_user_credentials (
    id               VARCHAR(255) PRIMARY KEY,
    service_user_id  UUID NOT NULL REFERENCES service_users (id),
    title            VARCHAR(255) NOT NULL,
    secret_sha256    VARCHAR(64) NOT NULL,
    created_by       VARCHAR(255) NOT NULL,
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT service_user_credentials_secret_unique UNIQUE (secret_sha256)
);
