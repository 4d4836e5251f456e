// Frontier's own published client (@raystack/proton's FrontierService and AdminService, driven
// by @connectrpc/connect-node) against a running Tally: the usage -> revert story and its error
// cases, and an Idempotency-Key retry, over every transport Tally serves. Exits non-zero on any
// failure. Environment: TALLY_URL, TALLY_ADMIN_ID, TALLY_ADMIN_SECRET.
import { Code, ConnectError, createClient, type Client, type Transport } from "@connectrpc/connect";
import {
  compressionGzip,
  createConnectTransport,
  createGrpcTransport,
  createGrpcWebTransport,
} from "@connectrpc/connect-node";
import { AdminServiceQueries, FrontierServiceQueries } from "@raystack/proton/frontier";
import { randomUUID } from "node:crypto";

// The service descriptors, as Frontier's web SDK reaches them.
const FrontierService = FrontierServiceQueries.createBillingUsage.parent;
const AdminService = AdminServiceQueries.revertBillingUsage.parent;

const baseUrl = required("TALLY_URL");
const admin = basic(required("TALLY_ADMIN_ID"), required("TALLY_ADMIN_SECRET"));

const transports: Record<string, () => Transport> = {
  "connect-json-http1": () => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: false }),
  "connect-json-h2c": () => createConnectTransport({ baseUrl, httpVersion: "2", useBinaryFormat: false }),
  "connect-binary-http1": () => createConnectTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
  "connect-binary-h2c-gzip": () => createConnectTransport({
    baseUrl, httpVersion: "2", useBinaryFormat: true, sendCompression: compressionGzip, compressMinBytes: 1,
  }),
  "grpc": () => createGrpcTransport({ baseUrl }),
  "grpc-web": () => createGrpcWebTransport({ baseUrl, httpVersion: "1.1", useBinaryFormat: true }),
};

type Clients = { frontier: Client<typeof FrontierService>; admin: Client<typeof AdminService> };

let failures = 0;
const only = process.argv.slice(2);
for (const [name, transport] of Object.entries(transports)) {
  if (only.length > 0 && !only.includes(name)) continue;
  const t = transport();
  const clients: Clients = { frontier: createClient(FrontierService, t), admin: createClient(AdminService, t) };
  try {
    await story(clients);
    console.log(`PASS ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.stack : String(e)}`);
  }
}
process.exit(failures === 0 ? 0 : 1);

async function story({ frontier, admin: adminClient }: Clients) {
  const as = (authorization: string, extra: Record<string, string> = {}) =>
    ({ headers: { Authorization: authorization, ...extra } });
  const asAdmin = as(admin);

  // Set-up: an organization with a billing account, 100 credits and a service user.
  const org = (await frontier.createOrganization({ body: { name: unique("interop"), title: "Interop" } }, asAdmin))
    .organization!;
  const account = (await frontier.createBillingAccount({ orgId: org.id, body: { name: "main", email: "a@example.com" } },
    asAdmin)).billingAccount!;
  await grant(org.id, account.id, 100);
  const serviceUser = (await frontier.createServiceUser({ orgId: org.id, body: { title: "meter" } }, asAdmin))
    .serviceuser!;
  const secret = (await frontier.createServiceUserCredential({ orgId: org.id, id: serviceUser.id, title: "key" },
    asAdmin)).secret!;
  const asMeter = as(basic(secret.id, secret.secret));

  // The walkthrough: usage, balance, credit check, revert, history, debited total.
  const usageId = randomUUID();
  await frontier.createBillingUsage({ orgId: org.id, billingId: account.id,
    usages: [{ id: usageId, amount: 30n, source: "Interop", description: "a call" }] }, asMeter);
  expectEqual(await balance(frontier, org.id, account.id, asMeter), 70n, "balance after usage");
  expectEqual((await frontier.checkCreditEntitlement({ orgId: org.id, amount: 50n }, asMeter)).status, true,
    "credit check within the balance");
  expectEqual((await frontier.checkCreditEntitlement({ orgId: org.id, amount: 500n }, asMeter)).status, false,
    "credit check beyond the balance");
  await adminClient.revertBillingUsage({ orgId: org.id, billingId: account.id, usageId, amount: 10n }, asAdmin);
  expectEqual(await balance(frontier, org.id, account.id, asMeter), 80n, "balance after a partial revert");
  const history = (await frontier.listBillingTransactions({ orgId: org.id, billingId: account.id }, asMeter))
    .transactions;
  expectEqual(history.map((t) => `${t.type}:${t.amount}:${t.source}`).join(","),
    "credit:10:system.revert.interop,debit:30:interop,credit:100:interop", "transactions newest first");
  expectEqual((await frontier.totalDebitedTransactions({ orgId: org.id, billingId: account.id }, asMeter))
    .debited!.amount, 20n, "debited total");

  // The error cases, with the codes DESIGN names.
  await expectCode(Code.AlreadyExists, "a usage id already recorded", frontier.createBillingUsage({ orgId: org.id,
    billingId: account.id, usages: [{ id: usageId, amount: 1n, source: "interop" }] }, asMeter));
  await expectCode(Code.InvalidArgument, "insufficient credits", frontier.createBillingUsage({ orgId: org.id,
    billingId: account.id, usages: [{ id: randomUUID(), amount: 1000n, source: "interop" }] }, asMeter),
    "insufficient credits");
  await expectCode(Code.InvalidArgument, "a non-positive amount", frontier.createBillingUsage({ orgId: org.id,
    billingId: account.id, usages: [{ id: randomUUID(), amount: 0n, source: "interop" }] }, asMeter));
  await expectCode(Code.NotFound, "reverting an unknown usage", adminClient.revertBillingUsage({ orgId: org.id,
    billingId: account.id, usageId: randomUUID() }, asAdmin));
  await expectCode(Code.InvalidArgument, "a usage id that is not a uuid", adminClient.revertBillingUsage({
    orgId: org.id, billingId: account.id, usageId: "not-a-uuid" }, asAdmin));
  await expectCode(Code.AlreadyExists, "reverting twice", adminClient.revertBillingUsage({ orgId: org.id,
    billingId: account.id, usageId }, asAdmin), "usage already reverted");
  const small = randomUUID();
  await frontier.createBillingUsage({ orgId: org.id, billingId: account.id,
    usages: [{ id: small, amount: 5n, source: "interop" }] }, asMeter);
  await expectCode(Code.InvalidArgument, "reverting more than the usage", adminClient.revertBillingUsage({
    orgId: org.id, billingId: account.id, usageId: small, amount: 6n }, asAdmin));
  await expectCode(Code.InvalidArgument, "both org_id and project_id", frontier.createBillingUsage({ orgId: org.id,
    projectId: randomUUID(), usages: [{ id: randomUUID(), amount: 1n, source: "interop" }] }, asMeter));
  await expectCode(Code.Unauthenticated, "a wrong secret", frontier.getBillingBalance({ orgId: org.id,
    id: account.id }, as(basic(secret.id, "wrong"))));
  await expectCode(Code.PermissionDenied, "a service user reverting", adminClient.revertBillingUsage({
    orgId: org.id, billingId: account.id, usageId: small }, asMeter));
  const other = (await frontier.createOrganization({ body: { name: unique("other"), title: "Other" } }, asAdmin))
    .organization!;
  const otherAccount = (await frontier.createBillingAccount({ orgId: other.id, body: { name: "other" } }, asAdmin))
    .billingAccount!;
  await expectCode(Code.PermissionDenied, "another organization's balance", frontier.getBillingBalance({
    orgId: other.id, id: otherAccount.id }, asMeter));
  await expectCode(Code.NotFound, "another organization's account under this one", frontier.getBillingBalance({
    orgId: org.id, id: otherAccount.id }, asMeter));

  // Idempotency-Key: a retry gets the first answer, marked as replayed, and debits once.
  const key = { "Idempotency-Key": randomUUID() };
  const retried = { orgId: org.id, billingId: account.id, usages: [{ id: randomUUID(), amount: 7n, source: "retry" }] };
  await frontier.createBillingUsage(retried, as(basic(secret.id, secret.secret), key));
  let replayed = false;
  const sawReplay = (headers: Headers) => { replayed ||= headers.get("idempotent-replayed") === "true"; };
  await frontier.createBillingUsage(retried, { ...as(basic(secret.id, secret.secret), key),
    onHeader: sawReplay, onTrailer: sawReplay });
  expectEqual(replayed, true, "the retry is marked as a replay");
  expectEqual(await balance(frontier, org.id, account.id, asMeter), 68n, "balance after a retried usage");
  // A refusal is replayed too, with its code.
  const refusedKey = { "Idempotency-Key": randomUUID() };
  const duplicate = { orgId: org.id, billingId: account.id, usages: [{ id: usageId, amount: 1n, source: "retry" }] };
  await expectCode(Code.AlreadyExists, "a refused first attempt",
    frontier.createBillingUsage(duplicate, as(basic(secret.id, secret.secret), refusedKey)));
  await expectCode(Code.AlreadyExists, "its retry",
    frontier.createBillingUsage(duplicate, as(basic(secret.id, secret.secret), refusedKey)));

  // Last, as it disables the account: usage on a disabled account.
  await frontier.disableBillingAccount({ orgId: org.id, id: account.id }, asAdmin);
  await expectCode(Code.FailedPrecondition, "usage on a disabled account", frontier.createBillingUsage({
    orgId: org.id, billingId: account.id, usages: [{ id: randomUUID(), amount: 1n, source: "interop" }] }, asMeter));
  expectEqual(await balance(frontier, org.id, account.id, asAdmin), 68n, "refusals changed nothing");
}

async function balance(frontier: Clients["frontier"], orgId: string, id: string, options: object) {
  return (await frontier.getBillingBalance({ orgId, id }, options)).balance!.amount;
}

/** AddBillingCredits is Tally's own RPC, absent from Frontier's client: sent over REST. */
async function grant(orgId: string, billingId: string, amount: number) {
  const reply = await fetch(`${baseUrl}/v1beta1/admin/organizations/${orgId}/billing/${billingId}/credits`, {
    method: "POST",
    headers: { Authorization: admin, "Content-Type": "application/json" },
    body: JSON.stringify({ id: randomUUID(), amount: String(amount), source: "interop" }),
  });
  if (reply.status !== 200) throw new Error(`grant: ${reply.status} ${await reply.text()}`);
}

async function expectCode(code: Code, what: string, call: Promise<unknown>, message?: string) {
  try {
    await call;
  } catch (e) {
    const error = ConnectError.from(e);
    if (error.code !== code) {
      throw new Error(`${what}: expected ${Code[code]}, got ${Code[error.code]} (${error.rawMessage})`);
    }
    if (message !== undefined && error.rawMessage !== message) {
      throw new Error(`${what}: expected the message "${message}", got "${error.rawMessage}"`);
    }
    return;
  }
  throw new Error(`${what}: expected ${Code[code]}, but the call succeeded`);
}

function expectEqual<T>(actual: T, expected: T, what: string) {
  if (actual !== expected) throw new Error(`${what}: expected ${String(expected)}, got ${String(actual)}`);
}

function basic(id: string, secret: string) {
  return "Basic " + Buffer.from(`${id}:${secret}`).toString("base64");
}

function unique(prefix: string) {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
}
