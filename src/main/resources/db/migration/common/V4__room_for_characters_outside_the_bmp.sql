-- Length limits count characters (code points), so a 255-character text of emoji is 510 UTF-16
-- units; H2 measures VARCHAR in UTF-16 units. These columns hold caller text limited to 255
-- characters (source: 255 plus the "system.revert." prefix), so they get room for that.
ALTER TABLE organizations ALTER COLUMN title SET DATA TYPE VARCHAR(1024);
ALTER TABLE projects ALTER COLUMN title SET DATA TYPE VARCHAR(1024);
ALTER TABLE billing_accounts ALTER COLUMN name SET DATA TYPE VARCHAR(1024);
ALTER TABLE billing_accounts ALTER COLUMN email SET DATA TYPE VARCHAR(1024);
ALTER TABLE billing_accounts ALTER COLUMN phone SET DATA TYPE VARCHAR(1024);
ALTER TABLE billing_accounts ALTER COLUMN currency SET DATA TYPE VARCHAR(64);
ALTER TABLE billing_transactions ALTER COLUMN source SET DATA TYPE VARCHAR(1100);
ALTER TABLE billing_transactions ALTER COLUMN description SET DATA TYPE VARCHAR(1100);
ALTER TABLE billing_transactions ALTER COLUMN user_id SET DATA TYPE VARCHAR(1024);
ALTER TABLE service_users ALTER COLUMN title SET DATA TYPE VARCHAR(1024);
ALTER TABLE service_user_credentials ALTER COLUMN title SET DATA TYPE VARCHAR(1024);
ALTER TABLE billing_accounts ALTER COLUMN address SET DATA TYPE VARCHAR(16384);
