// Everything the console reads from and writes to Tally goes through this module, so that the
// pages never build a URL themselves. The server does the reporting (DESIGN §11): the usage chart
// is usage_summary by day and source, the transactions table is paged by the server
// (page_size/page_token, filters applied there), and the CSV is the server's own export
// (Accept: text/csv on the transactions path). Only the balance chart is computed here, by walking
// back from the current balance through the newest CHART_ENTRIES_MAX entries in their stored order.

export const CHART_ENTRIES_MAX = 1000;
export const USAGE_CHART_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

let csrfToken = "";

/** The error Tally answered, with its own message ({"code", "message", "details"}). */
export class TallyError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function send(method, path, body, accept) {
  const headers = { "Accept": accept };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
  }
  if (method !== "GET") {
    headers["X-CSRF-Token"] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  if (!response.ok) {
    await failure(response);
  }
  return response;
}

async function failure(response) {
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = { message: text };
  }
  throw new TallyError(response.status, json.code, json.message || ("HTTP " + response.status));
}

async function call(method, path, body) {
  const response = await send(method, path, body, "application/json");
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = { message: text };
  }
  return json;
}

const enc = encodeURIComponent;
const accountPath = (orgId, accountId) => `/v1beta1/organizations/${enc(orgId)}/billing/${enc(accountId)}`;
const adminAccountPath = (orgId, accountId) => `/v1beta1/admin/organizations/${enc(orgId)}/billing/${enc(accountId)}`;

// ---- session ----

export async function session() {
  const who = await call("GET", "/console/api/session");
  csrfToken = who.csrf_token;
  return who;
}

export async function signIn(clientId, clientSecret) {
  const who = await call("POST", "/console/api/session", { client_id: clientId, client_secret: clientSecret });
  csrfToken = who.csrf_token;
  return who;
}

export async function signOut() {
  await call("DELETE", "/console/api/session");
  csrfToken = "";
}

// ---- reads ----

export async function organizations() {
  return (await call("GET", "/v1beta1/admin/organizations")).organizations || [];
}

export async function organization(idOrName) {
  return (await call("GET", `/v1beta1/organizations/${enc(idOrName)}`)).organization;
}

export async function accounts(orgId) {
  return (await call("GET", `/v1beta1/organizations/${enc(orgId)}/billing`)).billing_accounts || [];
}

export async function account(orgId, accountId) {
  return (await call("GET", accountPath(orgId, accountId))).billing_account;
}

/**
 * {amount, held, available, currency}. held and available (§12) are fields of the response beside
 * `balance`, not inside it (Frontier's Balance message stays as it is); a 0 is left out of the JSON.
 */
export async function balance(orgId, accountId) {
  const reply = await call("GET", accountPath(orgId, accountId) + "/balance");
  const b = reply.balance || {};
  const amount = Number(b.amount || 0);
  const held = Number(reply.held || 0);
  const available = reply.available !== undefined ? Number(reply.available) : amount - held;
  return { amount, held, available, currency: b.currency || "VC" };
}

/** credit_min and due_in_days: a platform admin's read. */
export async function details(orgId, accountId) {
  const d = await call("GET", adminAccountPath(orgId, accountId) + "/details");
  return { creditMin: Number(d.credit_min || 0) };
}

/** The newest CHART_ENTRIES_MAX entries of the account, newest first: the balance chart's input. */
export async function recentTransactions(orgId, accountId) {
  const query = new URLSearchParams({ page_size: String(CHART_ENTRIES_MAX) });
  return (await call("GET", accountPath(orgId, accountId) + "/transactions?" + query)).transactions || [];
}

/** The server's query for a filter {type, source, from, to} (empty values left out). */
function filterQuery(filter) {
  const query = new URLSearchParams();
  if (filter.type) query.set("type", filter.type);
  if (filter.source) query.set("source", filter.source);
  if (filter.from) query.set("start_range", filter.from);
  if (filter.to) query.set("end_range", filter.to);
  return query;
}

/** One page of the filtered entries, newest first: {transactions, nextPageToken ("" on the last page)}. */
export async function transactionsPage(orgId, accountId, filter, pageSize, pageToken) {
  const query = filterQuery(filter);
  query.set("page_size", String(pageSize));
  if (pageToken) query.set("page_token", pageToken);
  const reply = await call("GET", accountPath(orgId, accountId) + "/transactions?" + query);
  return { transactions: reply.transactions || [], nextPageToken: reply.next_page_token || "" };
}

/** Every filtered entry as the server's CSV, as a Blob; fetched so that the session cookie is sent. */
export async function transactionsCsv(orgId, accountId, filter) {
  const query = filterQuery(filter).toString();
  const response = await send("GET", accountPath(orgId, accountId) + "/transactions" + (query ? "?" + query : ""),
    undefined, "text/csv");
  return response.blob();
}

/**
 * Usage per UTC day and source over the USAGE_CHART_DAYS days up to the server's time `now`
 * (a Date), from usage_summary: {days: ["2026-01-01", ...], sources: ["api", ...],
 * amounts: {day: {source: usage}}}. Days without usage are left out.
 */
export async function usagePerDay(orgId, accountId, now) {
  const end = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS + DAY_MS);
  const start = new Date(end.getTime() - USAGE_CHART_DAYS * DAY_MS);
  const query = new URLSearchParams({ window: "day", group_by: "source",
    start_range: start.toISOString(), end_range: end.toISOString() });
  const reply = await call("GET", accountPath(orgId, accountId) + "/usage_summary?" + query);
  const amounts = {};
  const sources = new Set();
  for (const bucket of reply.buckets || []) {
    const usage = Number(bucket.usage || 0);
    if (usage === 0) continue;
    const day = bucket.start.slice(0, 10);
    amounts[day] = amounts[day] || {};
    amounts[day][bucket.source] = (amounts[day][bucket.source] || 0) + usage;
    sources.add(bucket.source);
  }
  return { days: Object.keys(amounts).sort(), sources: [...sources].sort(), amounts };
}

// ---- changes (platform admin) ----

export async function revert(orgId, accountId, usageId, amount) {
  return call("POST", adminAccountPath(orgId, accountId) + `/usage/${enc(usageId)}/revert`, { amount: String(amount) });
}

/** Adds credits; expiresAt (RFC 3339) and priority ("" for the server's default 50) are optional (§13). */
export async function grant(orgId, accountId, amount, source, description, expiresAt, priority) {
  const body = { id: crypto.randomUUID(), amount: String(amount), source, description };
  if (expiresAt) body.expires_at = expiresAt;
  if (priority !== undefined && priority !== "") body.priority = Number(priority);
  return call("POST", adminAccountPath(orgId, accountId) + "/credits", body);
}

export async function setCreditMin(orgId, accountId, creditMin) {
  return call("PUT", adminAccountPath(orgId, accountId) + "/limits", { credit_min: String(creditMin) });
}

export async function setEnabled(orgId, accountId, enabled) {
  return call("POST", accountPath(orgId, accountId) + (enabled ? "/enable" : "/disable"), {});
}

// ---- webhooks and alerts (platform admin, DESIGN §14) ----

export async function webhooks() {
  return (await call("GET", "/v1beta1/admin/webhooks")).webhooks || [];
}

/** The new webhook, whose secrets carry the signing secret: the only time it is shown. */
export async function createWebhook(url, description, subscribedEvents) {
  return (await call("POST", "/v1beta1/admin/webhooks",
    { body: { url, description, subscribed_events: subscribedEvents, state: "enabled" } })).webhook;
}

/** UpdateWebhook replaces the whole configuration: everything but the state is sent back as it was. */
export async function setWebhookState(webhook, state) {
  return (await call("PUT", `/v1beta1/admin/webhooks/${enc(webhook.id)}`, { body: {
    url: webhook.url, description: webhook.description || "", subscribed_events: webhook.subscribed_events || [],
    headers: webhook.headers || {}, metadata: webhook.metadata || {}, state } })).webhook;
}

export async function deleteWebhook(id) {
  return call("DELETE", `/v1beta1/admin/webhooks/${enc(id)}`);
}

/** One page of a webhook's deliveries, newest first; state "" for all. */
export async function deliveries(id, state, pageToken) {
  const query = new URLSearchParams({ page_size: "25" });
  if (state) query.set("state", state);
  if (pageToken) query.set("page_token", pageToken);
  const reply = await call("GET", `/v1beta1/admin/webhooks/${enc(id)}/deliveries?` + query);
  return { deliveries: reply.deliveries || [], nextPageToken: reply.next_page_token || "" };
}

export async function redeliver(id, eventId) {
  return call("POST", `/v1beta1/admin/webhooks/${enc(id)}/deliveries/${enc(eventId)}/redeliver`, {});
}

export async function setAlerts(orgId, accountId, thresholds) {
  return call("PUT", adminAccountPath(orgId, accountId) + "/alerts",
    { balance_thresholds: thresholds.map(String) });
}

// ---- the balance chart, computed from the newest entries ----

const signed = (t) => (t.type === "debit" ? -1 : 1) * Number(t.amount);

/**
 * The balance after each of the most recent entries, oldest first, ending at the current balance:
 * [{at: Date, balance: number}]. Walks back from the current balance, so it is exact for the
 * entries it covers even when older ones are left out.
 */
export function balanceSeries(newestFirst, currentBalance) {
  const recent = newestFirst.slice(0, CHART_ENTRIES_MAX);
  const points = [];
  let after = currentBalance;
  for (const t of recent) {
    points.push({ at: new Date(t.created_at), balance: after });
    after -= signed(t);
  }
  if (recent.length > 0) {
    // The balance before the oldest entry shown, so the line starts where it was.
    points.push({ at: new Date(recent[recent.length - 1].created_at), balance: after });
  }
  return points.reverse();
}

// ---- holds (DESIGN §12) ----

const holdsPath = (orgId, accountId) => accountPath(orgId, accountId) + "/holds";

/** One page of an account's holds, newest first; state "" for all. */
export async function holds(orgId, accountId, state, pageSize, pageToken) {
  const query = new URLSearchParams({ page_size: String(pageSize) });
  if (state) query.set("state", state);
  if (pageToken) query.set("page_token", pageToken);
  const reply = await call("GET", holdsPath(orgId, accountId) + "?" + query);
  return { holds: reply.holds || [], nextPageToken: reply.next_page_token || "" };
}

export async function hold(orgId, accountId, holdId) {
  return (await call("GET", holdsPath(orgId, accountId) + `/${enc(holdId)}`)).hold;
}

/** Captures `amount` of the hold (the usage id is the hold's); {hold, transaction}. */
export async function captureHold(orgId, accountId, holdId, amount, description) {
  const body = { amount: String(amount) };
  if (description) body.description = description;
  return call("POST", holdsPath(orgId, accountId) + `/${enc(holdId)}/capture`, body);
}

export async function releaseHold(orgId, accountId, holdId) {
  return call("POST", holdsPath(orgId, accountId) + `/${enc(holdId)}/release`, {});
}

// ---- credit grants (DESIGN §13) ----

/** Every grant of the account, as the server lists them (newest first). */
export async function grants(orgId, accountId) {
  return (await call("GET", accountPath(orgId, accountId) + "/grants")).grants || [];
}

/** Which grants a debit spent: [{grant_id ("" for debt), amount}] in spending order. */
export async function allocations(orgId, accountId, entryId) {
  return (await call("GET", accountPath(orgId, accountId) + `/transactions/${enc(entryId)}/allocations`)).allocations || [];
}
