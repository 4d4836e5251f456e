// Everything the console reads from and writes to Tally goes through this module, so that the
// pages never build a URL themselves. The charts and the CSV download are computed here, in the
// browser, from the transaction list that exists today (GET .../transactions, newest first), limited
// to the most recent CHART_ENTRIES_MAX entries. When history and reporting (DESIGN §11) is on the
// server, point balanceSeries at the point-in-time balance (`at`), usagePerDay at usage_summary,
// and transactionsCsv at the same list with `Accept: text/csv`: the pages only call these functions.

export const CHART_ENTRIES_MAX = 1000;

let csrfToken = "";

/** The error Tally answered, with its own message ({"code", "message", "details"}). */
export class TallyError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function call(method, path, body) {
  const headers = { "Accept": "application/json" };
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
  const text = await response.text();
  let json = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch (e) {
    json = { message: text };
  }
  if (!response.ok) {
    throw new TallyError(response.status, json.code, json.message || ("HTTP " + response.status));
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

/** {amount, held, available}; held and available come from the server once holds (§12) exist. */
export async function balance(orgId, accountId) {
  const b = (await call("GET", accountPath(orgId, accountId) + "/balance")).balance || {};
  const amount = Number(b.amount || 0);
  const held = Number(b.held || 0);
  const available = b.available !== undefined ? Number(b.available) : amount - held;
  return { amount, held, available, currency: b.currency || "VC" };
}

/** credit_min and due_in_days: a platform admin's read. */
export async function details(orgId, accountId) {
  const d = await call("GET", adminAccountPath(orgId, accountId) + "/details");
  return { creditMin: Number(d.credit_min || 0) };
}

/** The newest CHART_ENTRIES_MAX entries in range, newest first; from/to are RFC 3339 strings or "". */
export async function transactions(orgId, accountId, from, to) {
  const query = new URLSearchParams();
  if (from) query.set("start_range", from);
  if (to) query.set("end_range", to);
  // One page of the newest entries: without page_size the server refuses a range over 10,000 (§11).
  query.set("page_size", String(CHART_ENTRIES_MAX));
  const suffix = "?" + query;
  return (await call("GET", accountPath(orgId, accountId) + "/transactions" + suffix)).transactions || [];
}

// ---- changes (platform admin) ----

export async function revert(orgId, accountId, usageId, amount) {
  return call("POST", adminAccountPath(orgId, accountId) + `/usage/${enc(usageId)}/revert`, { amount: String(amount) });
}

export async function grant(orgId, accountId, amount, source, description) {
  return call("POST", adminAccountPath(orgId, accountId) + "/credits",
    { id: crypto.randomUUID(), amount: String(amount), source, description });
}

export async function setCreditMin(orgId, accountId, creditMin) {
  return call("PUT", adminAccountPath(orgId, accountId) + "/limits", { credit_min: String(creditMin) });
}

export async function setEnabled(orgId, accountId, enabled) {
  return call("POST", accountPath(orgId, accountId) + (enabled ? "/enable" : "/disable"), {});
}

// ---- charts and CSV, computed from the transaction list ----

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

/**
 * Usage (debits) per UTC day and source over the most recent entries:
 * {days: ["2026-01-01", ...], sources: ["api", ...], amounts: {day: {source: amount}}}.
 */
export function usagePerDay(newestFirst) {
  const amounts = {};
  const sources = new Set();
  for (const t of newestFirst.slice(0, CHART_ENTRIES_MAX)) {
    if (t.type !== "debit") continue;
    const day = t.created_at.slice(0, 10);
    amounts[day] = amounts[day] || {};
    amounts[day][t.source] = (amounts[day][t.source] || 0) + Number(t.amount);
    sources.add(t.source);
  }
  return { days: Object.keys(amounts).sort(), sources: [...sources].sort(), amounts };
}

const CSV_COLUMNS = ["id", "created_at", "type", "amount", "source", "description", "user_id", "metadata"];

function csvField(value) {
  let text = typeof value === "string" ? value : JSON.stringify(value ?? "");
  // A leading = + - @ would be a formula in a spreadsheet: quote it as text.
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

/** The given entries as CSV (RFC 4180), one header row. */
export function transactionsCsv(entries) {
  const lines = [CSV_COLUMNS.join(",")];
  for (const t of entries) {
    lines.push(CSV_COLUMNS.map((c) => csvField(t[c])).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
