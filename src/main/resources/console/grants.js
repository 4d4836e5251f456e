// The credit grants of an account (DESIGN §13): #/orgs/<org>/accounts/<account>/grants lists every
// grant in the order debits spend them (priority, then expires_at with none last, then created_at,
// then id), with what remains of each and its state; #/orgs/<org>/accounts/<account>/transactions/<id>
// shows which grants a debit spent and how much of each (a part without a grant is debt).
// Read-only pages: grants are made by the account page's "Grant credits" form.
// `page` carries the console's shared helpers (show, link, errorBox, go, reload, admin).
import * as tally from "./data.js";
import { h, amount, when } from "./dom.js";

function accountBase(orgId, accountId) {
  return `#/orgs/${orgId}/accounts/${accountId}`;
}

/** Tally's spending order; the server lists grants newest first. */
export function spendingOrder(a, b) {
  const priority = Number(a.priority || 0) - Number(b.priority || 0);
  if (priority !== 0) return priority;
  if ((a.expires_at || "") !== (b.expires_at || "")) {
    if (!a.expires_at) return 1;
    if (!b.expires_at) return -1;
    return Date.parse(a.expires_at) - Date.parse(b.expires_at);
  }
  const created = Date.parse(a.created_at) - Date.parse(b.created_at);
  if (created !== 0) return created;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function figures(bal) {
  const figure = (label, value, key) => h("div", {}, h("dt", {}, label), h("dd", { "data-figure": key }, value));
  return h("dl", { class: "figures" },
    figure("Balance", amount(bal.amount, bal.currency), "balance"),
    figure("Held", amount(bal.held, bal.currency), "held"),
    figure("Available", amount(bal.available, bal.currency), "available"));
}

export async function grantsPage(page, orgId, accountId) {
  const org = await tally.organization(orgId);
  const [acct, bal, list] = await Promise.all([tally.account(org.id, accountId), tally.balance(org.id, accountId),
    tally.grants(org.id, accountId)]);
  const ordered = [...list].sort(spendingOrder);
  const columns = ["Order", "Grant", "Amount", "Remaining", "Priority", "Expires", "State", "Source", "Description", "Created"];
  const numeric = new Set(["Order", "Amount", "Remaining", "Priority"]);
  const rows = ordered.map((g, i) => h("tr", { "data-grant": g.id, "data-state": g.state },
    h("td", { class: "num" }, String(i + 1)),
    h("td", { title: g.id }, g.id.slice(0, 8) + "…"),
    h("td", { class: "num" }, amount(g.amount || 0)),
    h("td", { class: "num", "data-remaining": g.id }, amount(g.remaining || 0)),
    h("td", { class: "num" }, String(g.priority || 0)),
    h("td", {}, g.expires_at ? when(g.expires_at) : "never"),
    h("td", { "data-grant-state": g.id }, g.state),
    h("td", {}, g.source || ""), h("td", {}, g.description || ""),
    h("td", {}, when(g.created_at))));
  const table = h("table", { id: "grants" },
    h("caption", {}, `${rows.length} grant${rows.length === 1 ? "" : "s"}, in the order debits spend them`),
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", { scope: "col", class: numeric.has(c) ? "num" : null }, c)))),
    h("tbody", {}, rows));
  page.show(`Grants of ${acct.name || acct.id}`,
    h("p", {}, page.link(accountBase(org.id, accountId), `← ${acct.name || "Billing account"} of ${org.name}`)),
    figures(bal),
    h("p", { class: "muted" }, "A debit spends the active grants from the top: lower priority first, then the one " +
      "expiring soonest (none last), then the oldest. An expired grant's remaining is no longer counted."),
    rows.length ? h("div", { class: "scroll" }, table) : h("p", {}, "This account has no grants."));
}

export async function allocationsPage(page, orgId, accountId, entryId) {
  const org = await tally.organization(orgId);
  const [acct, list, allocations] = await Promise.all([tally.account(org.id, accountId),
    tally.grants(org.id, accountId), tally.allocations(org.id, accountId, entryId)]);
  const byId = new Map(list.map((g) => [g.id, g]));
  const total = allocations.reduce((sum, a) => sum + Number(a.amount || 0), 0);
  const rows = allocations.map((a, i) => {
    const g = a.grant_id ? byId.get(a.grant_id) : null;
    return h("tr", { "data-allocation": a.grant_id || "debt" },
      h("td", { class: "num" }, String(i + 1)),
      h("td", { title: a.grant_id || "" }, a.grant_id ? a.grant_id.slice(0, 8) + "…" : "debt (no grant)"),
      h("td", {}, g ? g.description || g.source || "" : ""),
      h("td", {}, g ? g.state : ""),
      h("td", { class: "num" }, amount(a.amount || 0)));
  });
  const table = h("table", { id: "allocations" },
    h("caption", {}, `${amount(total)} spent from ${rows.length} grant${rows.length === 1 ? "" : "s"}, in spending order`),
    h("thead", {}, h("tr", {}, ["Order", "Grant", "Grant description", "Grant state", "Amount"]
      .map((c) => h("th", { scope: "col", class: c === "Amount" || c === "Order" ? "num" : null }, c)))),
    h("tbody", {}, rows));
  const base = accountBase(org.id, accountId);
  page.show(`Transaction ${entryId}`,
    h("p", { class: "links" }, page.link(base, `← ${acct.name || "Billing account"} of ${org.name}`),
      page.link(base + "/grants", "Grants →")),
    rows.length ? h("div", { class: "scroll" }, table)
      : h("p", {}, "No allocations: this entry is not a debit, or it was written before grants existed."));
}
