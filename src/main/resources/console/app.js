// The console's pages, routed by the URL's hash: #/sign-in, #/orgs, #/orgs/<org>,
// #/orgs/<org>/accounts/<account>, #/orgs/<org>/accounts/<account>/holds[/<id>],
// #/orgs/<org>/accounts/<account>/grants, #/orgs/<org>/accounts/<account>/transactions/<id>, #/webhooks,
// #/webhooks/<id>. Data comes only through data.js.
import * as tally from "./data.js";
import { h, amount, when } from "./dom.js";
import { balanceChart, usageChart } from "./charts.js";
import { revertDialog } from "./revert.js";
import { webhooksPage, deliveriesPage } from "./webhooks.js";
import { holdsPage, holdPage } from "./holds.js";
import { grantsPage, allocationsPage } from "./grants.js";
import { pageOf, pager, pageTable } from "./paging.js";

const main = document.getElementById("main");
const who = document.getElementById("who");
const ORGS_PAGE_SIZE = 20;
const NUMERIC_COLUMNS = new Set(["Balance", "Available", "Amount"]);
const ENTRIES_PAGE_SIZE = 25;
let me = null;

function show(title, ...content) {
  document.title = title + " · Tally console";
  main.replaceChildren(h("h1", { tabindex: "-1" }, title), ...content);
  main.querySelector("h1").focus();
}

function errorBox(error) {
  return h("p", { class: "error", role: "alert" }, error.message);
}

function link(href, text) {
  return h("a", { href }, text);
}

function go(hash) {
  if (location.hash === hash) route(); else location.hash = hash;
}

// ---- sign-in ----

function signInPage(message) {
  const id = h("input", { id: "client-id", name: "client_id", autocomplete: "username", required: true });
  const secret = h("input", { id: "client-secret", name: "client_secret", type: "password",
    autocomplete: "current-password", required: true });
  const status = h("p", { class: "error", role: "alert" }, message || "");
  const form = h("form", { class: "card narrow", onsubmit: async (event) => {
      event.preventDefault();
      try {
        me = await tally.signIn(id.value.trim(), secret.value);
        renderWho();
        go(me.platform_admin ? "#/orgs" : `#/orgs/${me.org_id}`);
      } catch (error) {
        status.textContent = error.message;
      }
    } },
    h("label", { for: "client-id" }, "Client id"), id,
    h("label", { for: "client-secret" }, "Client secret"), secret,
    h("button", { type: "submit" }, "Sign in"), status);
  show("Sign in", h("p", {}, "Sign in with a service user's credential: a platform admin sees and changes " +
    "everything, a service user reads its own organization."), form);
}

function renderWho() {
  who.replaceChildren();
  if (!me) return;
  if (me.platform_admin) {
    who.append(link("#/orgs", "Organizations"), " ", link("#/webhooks", "Webhooks"), " ");
  }
  who.append(h("span", {}, me.platform_admin ? "Platform admin" : "Service user (read-only)"), " ",
    h("button", { type: "button", class: "link", onclick: async () => {
      try { await tally.signOut(); } catch (e) { /* already gone */ }
      me = null;
      renderWho();
      go("#/sign-in");
    } }, "Sign out"));
}

// ---- organizations ----

async function organizationsPage(show, params) {
  if (!me.platform_admin) return go(`#/orgs/${me.org_id}`);
  const query = params.get("q") || "";
  const page = Math.max(1, Number(params.get("page") || 1));
  const all = await tally.organizations();
  const needle = query.toLowerCase();
  const matching = all.filter((o) => !needle || o.name.toLowerCase().includes(needle)
    || (o.title || "").toLowerCase().includes(needle) || o.id === query);
  matching.sort((a, b) => a.name.localeCompare(b.name));
  const pages = Math.max(1, Math.ceil(matching.length / ORGS_PAGE_SIZE));
  const shown = matching.slice((page - 1) * ORGS_PAGE_SIZE, page * ORGS_PAGE_SIZE);
  const search = h("input", { id: "org-search", type: "search", name: "q", value: query });
  const form = h("form", { role: "search", class: "inline", onsubmit: (event) => {
      event.preventDefault();
      go(`#/orgs?q=${encodeURIComponent(search.value.trim())}`);
    } },
    h("label", { for: "org-search" }, "Search organizations by name, title or id"), search,
    h("button", { type: "submit" }, "Search"));
  const table = h("table", {},
    h("caption", {}, `${matching.length} organization(s)`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Name"), h("th", { scope: "col" }, "Title"),
      h("th", { scope: "col" }, "State"), h("th", { scope: "col" }, "Created"))),
    h("tbody", {}, shown.map((o) => h("tr", {},
      h("td", {}, link(`#/orgs/${o.id}`, o.name)), h("td", {}, o.title), h("td", {}, o.state),
      h("td", {}, when(o.created_at))))));
  const pager = pagerNav(page, pages, (p) => `#/orgs?q=${encodeURIComponent(query)}&page=${p}`);
  show("Organizations", form, h("div", { class: "scroll" }, table), pager);
}

function headerRow(columns) {
  return h("tr", {}, columns.map((c) => h("th", { scope: "col", class: NUMERIC_COLUMNS.has(c) ? "num" : null }, c)));
}

function pagerNav(page, pages, hrefOf) {
  return h("nav", { class: "pager", "aria-label": "Pages" },
    page > 1 ? link(hrefOf(page - 1), "Previous page") : null,
    h("span", {}, `Page ${page} of ${pages}`),
    page < pages ? link(hrefOf(page + 1), "Next page") : null);
}

// ---- an organization's accounts ----

async function organizationPage(show, orgId) {
  const org = await tally.organization(orgId);
  const list = await tally.accounts(org.id);
  const balances = await Promise.all(list.map((a) => tally.balance(org.id, a.id)));
  const table = h("table", {},
    h("caption", {}, `Billing accounts of ${org.name}`),
    h("thead", {}, headerRow(["Account", "State", "Balance", "Available", "Created"])),
    h("tbody", {}, list.map((a, i) => h("tr", {},
      h("td", {}, link(`#/orgs/${org.id}/accounts/${a.id}`, a.name || a.id)),
      h("td", {}, a.state), h("td", { class: "num" }, amount(balances[i].amount, balances[i].currency)),
      h("td", { class: "num" }, amount(balances[i].available, balances[i].currency)),
      h("td", {}, when(a.created_at))))));
  show(org.title ? `${org.title} (${org.name})` : org.name,
    me.platform_admin ? h("p", {}, link("#/orgs", "← All organizations")) : null,
    h("p", { class: "muted" }, `Organization ${org.id} · ${org.state}`),
    list.length ? h("div", { class: "scroll" }, table) : h("p", {}, "This organization has no billing account."));
}

// ---- an account ----

async function accountPage(show, orgId, accountId, params) {
  const org = await tally.organization(orgId);
  // The server's clock anchors "the last 30 days"; the browser's may be wrong or elsewhere.
  const serverNow = new Date((await tally.session()).server_time);
  const filter = { type: params.get("type") || "", source: params.get("source") || "",
    from: params.get("from") || "", to: params.get("to") || "" };
  const [acct, bal, recent, usage, txPage] = await Promise.all([tally.account(org.id, accountId),
    tally.balance(org.id, accountId), tally.recentTransactions(org.id, accountId),
    tally.usagePerDay(org.id, accountId, serverNow),
    tally.transactionsPage(org.id, accountId, filter, ENTRIES_PAGE_SIZE, pageOf(params).token)]);
  const details = me.platform_admin ? await tally.details(org.id, accountId) : null;
  const currency = bal.currency;
  const base = `#/orgs/${org.id}/accounts/${accountId}`;
  const summary = h("dl", { class: "figures" },
    figure("Balance", amount(bal.amount, currency), "balance"),
    figure("Held", amount(bal.held, currency), "held"),
    figure("Available", amount(bal.available, currency), "available"),
    figure("credit_min", details ? amount(details.creditMin, currency) : "shown to admins", "credit-min"),
    figure("State", acct.state, "state"));
  const charts = h("section", { "aria-label": "Charts" },
    h("div", { class: "charts" },
      balanceChart(tally.balanceSeries(recent, bal.amount), currency),
      usageChart(usage, currency)),
    h("p", { class: "muted charts-note" }, `The balance chart walks back from today's balance through the ` +
      `${recent.length} most recent entries (at most ${tally.CHART_ENTRIES_MAX.toLocaleString("en")}). The usage chart is Tally's ` +
      `usage summary: usage per UTC day and source over the last ${tally.USAGE_CHART_DAYS} days, before reverts.`));
  const reload = () => route();
  show(acct.name || "Billing account",
    h("p", { class: "links" }, link(`#/orgs/${org.id}`, `← ${org.name}`), link(`${base}/holds`, "Holds →"),
      link(`${base}/grants`, "Grants →")),
    h("p", { class: "muted" }, `Account ${acct.id} · ${acct.email}`),
    summary, charts,
    me.platform_admin ? actions(org, acct, details, reload) : h("p", { class: "muted" },
      "Read-only: a service user's session cannot change anything."),
    transactionsSection(org, acct, bal, recent, txPage, filter, params, base, reload));
}

function figure(label, value, key) {
  return h("div", {}, h("dt", {}, label), h("dd", { "data-figure": key }, value));
}

function actions(org, acct, details, reload) {
  const grantAmount = h("input", { id: "grant-amount", type: "number", min: "1", step: "1", required: true });
  const grantSource = h("input", { id: "grant-source", value: "console", required: true });
  const grantDescription = h("input", { id: "grant-description", value: "" });
  // Optional (§13): a UTC expiry and a priority (0–100, lower spent first); the server judges them.
  // The expiry is typed as the API takes it (RFC 3339) and sent as typed: one control on every
  // browser (a datetime-local is a row of segments, read in the browser's zone), judged by Tally.
  const grantExpires = h("input", { id: "grant-expires", inputmode: "text", autocomplete: "off",
    placeholder: "2026-12-31T00:00:00Z" });
  const grantPriority = h("input", { id: "grant-priority", type: "number", step: "1", placeholder: "50" });
  const grantStatus = h("p", { role: "status", class: "status" });
  const grantForm = h("form", { class: "card", "aria-labelledby": "grant-title", onsubmit: async (event) => {
      event.preventDefault();
      try {
        const expiresAt = grantExpires.value.trim();
        await tally.grant(org.id, acct.id, grantAmount.value, grantSource.value, grantDescription.value,
          expiresAt, grantPriority.value.trim());
        reload();
      } catch (error) {
        grantStatus.replaceChildren(errorBox(error));
      }
    } },
    h("h2", { id: "grant-title" }, "Grant credits"),
    h("label", { for: "grant-amount" }, "Amount"), grantAmount,
    h("label", { for: "grant-source" }, "Source"), grantSource,
    h("label", { for: "grant-description" }, "Description"), grantDescription,
    h("label", { for: "grant-expires" }, "Expires at (RFC 3339, optional)"), grantExpires,
    h("label", { for: "grant-priority" }, "Priority (0–100, lower spent first; default 50)"), grantPriority,
    h("button", { type: "submit" }, "Grant credits"), grantStatus);

  const creditMin = h("input", { id: "credit-min", type: "number", step: "1", required: true,
    value: details ? details.creditMin : 0 });
  const limitStatus = h("p", { role: "status", class: "status" });
  const limitForm = h("form", { class: "card", "aria-labelledby": "limit-title", onsubmit: async (event) => {
      event.preventDefault();
      try {
        await tally.setCreditMin(org.id, acct.id, creditMin.value);
        reload();
      } catch (error) {
        limitStatus.replaceChildren(errorBox(error));
      }
    } },
    h("h2", { id: "limit-title" }, "Limit"),
    h("label", { for: "credit-min" }, "credit_min (negative: overdraft allowed)"), creditMin,
    h("button", { type: "submit" }, "Set credit_min"), limitStatus);

  const enabled = acct.state === "active";
  const stateStatus = h("p", { role: "status", class: "status" });
  const stateCard = h("div", { class: "card" },
    h("h2", {}, "State"),
    h("p", {}, enabled ? "Active: usage is accepted." : "Disabled: usage is refused; reverts still work."),
    h("button", { type: "button", class: enabled ? "danger" : "", onclick: async () => {
        try {
          await tally.setEnabled(org.id, acct.id, !enabled);
          reload();
        } catch (error) {
          stateStatus.replaceChildren(errorBox(error));
        }
      } }, enabled ? "Disable account" : "Enable account"), stateStatus);
  const thresholds = h("input", { id: "alert-thresholds", inputmode: "numeric", placeholder: "e.g. 500, 100" });
  const alertStatus = h("p", { role: "status", class: "status" });
  const alertForm = h("form", { class: "card", "aria-labelledby": "alert-title", onsubmit: async (event) => {
      event.preventDefault();
      try {
        const values = thresholds.value.split(",").map((v) => v.trim()).filter(Boolean);
        await tally.setAlerts(org.id, acct.id, values);
        alertStatus.replaceChildren(h("span", { class: "ok" }, values.length
          ? `Alerts set: app.billing.balance.threshold fires when the balance falls below ${values.join(", ")}.`
          : "Alerts cleared."));
      } catch (error) {
        alertStatus.replaceChildren(errorBox(error));
      }
    } },
    h("h2", { id: "alert-title" }, "Balance alerts"),
    h("label", { for: "alert-thresholds" }, "Thresholds (comma-separated; replaces the current ones)"), thresholds,
    h("button", { type: "submit" }, "Set alerts"), alertStatus);
  return h("section", { class: "actions", "aria-label": "Actions" }, grantForm, limitForm, stateCard, alertForm);
}

function transactionsSection(org, acct, bal, recent, txPage, filter, params, base, reload) {
  const { type, source } = filter;
  const { number } = pageOf(params);
  // Which usages were reverted, and by how much, is read from the revert credits among the most
  // recent entries (they name the usage in their metadata).
  const reverted = new Map();
  for (const t of recent) {
    const usageId = t.metadata && t.metadata.revert_request_using;
    if (usageId) reverted.set(usageId, Number(t.amount));
  }
  const shown = txPage.transactions;

  const typeSelect = h("select", { id: "filter-type", name: "type" },
    [["", "All"], ["debit", "Debits (usage)"], ["credit", "Credits (grants, reverts)"]].map(([v, text]) =>
      h("option", { value: v, selected: v === type }, text)));
  const sourceInput = h("input", { id: "filter-source", name: "source", value: source });
  const fromInput = h("input", { id: "filter-from", name: "from", type: "date", value: (params.get("from") || "").slice(0, 10) });
  const toInput = h("input", { id: "filter-to", name: "to", type: "date", value: (params.get("to") || "").slice(0, 10) });
  const filters = h("form", { class: "filters", "aria-label": "Filter transactions", onsubmit: (event) => {
      event.preventDefault();
      const q = new URLSearchParams();
      if (typeSelect.value) q.set("type", typeSelect.value);
      if (sourceInput.value.trim()) q.set("source", sourceInput.value.trim());
      if (fromInput.value) q.set("from", fromInput.value + "T00:00:00Z");
      if (toInput.value) q.set("to", toInput.value + "T23:59:59Z");
      go(base + (q.toString() ? "?" + q : ""));
    } },
    h("div", {}, h("label", { for: "filter-type" }, "Type"), typeSelect),
    h("div", {}, h("label", { for: "filter-source" }, "Source (exact)"), sourceInput),
    h("div", {}, h("label", { for: "filter-from" }, "From (UTC)"), fromInput),
    h("div", {}, h("label", { for: "filter-to" }, "To (UTC, inclusive)"), toInput),
    h("button", { type: "submit" }, "Apply filters"));

  const csvStatus = h("span", { role: "status", class: "status" });
  const csv = h("button", { type: "button", onclick: async () => {
      try {
        const blob = await tally.transactionsCsv(org.id, acct.id, filter);
        const a = h("a", { href: URL.createObjectURL(blob), download: `transactions-${acct.id}.csv` });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(a.href), 60000);
        csvStatus.replaceChildren();
      } catch (error) {
        csvStatus.replaceChildren(errorBox(error));
      }
    } }, "Download CSV (every entry matching the filters)");

  const rows = shown.map((t) => {
    const isUsage = t.type === "debit";
    const revertedAmount = reverted.get(t.id);
    const cell = isUsage && me.platform_admin
      ? h("button", { type: "button", "data-revert": t.id, "aria-label": `Revert usage ${t.id}`, onclick: () =>
          revertDialog({ org, acct, usage: t, balance: bal, revertedAmount, onDone: reload,
            revert: (value) => tally.revert(org.id, acct.id, t.id, value) }) }, "Revert…")
      : "";
    return h("tr", { "data-entry": t.id },
      h("td", {}, when(t.created_at)), h("td", {}, t.type),
      h("td", { class: "num" }, (isUsage ? "−" : "+") + amount(t.amount)),
      h("td", {}, t.source), h("td", {}, t.description),
      h("td", {}, revertedAmount !== undefined ? `reverted ${amount(revertedAmount)}` : ""),
      h("td", {}, isUsage ? link(`${base}/transactions/${t.id}`, "Grants spent") : null, " ", cell));
  });
  const table = pageTable({ id: "transactions", number, rows,
    counted: (n) => `${n} ${n === 1 ? "entry" : "entries"}, newest first`,
    columns: ["Time", "Type", "Amount", "Source", "Description", "Revert status", "Action"], numeric: ["Amount"] });
  const pages = pager(link, base, params, number, txPage.nextPageToken);
  return h("section", { "aria-labelledby": "tx-title" },
    h("h2", { id: "tx-title" }, "Transactions"), filters, h("p", {}, csv, csvStatus),
    h("div", { class: "scroll" }, table), pages);
}

// ---- routing ----

// Each route() call is one navigation. A page shows what it loaded only while its navigation is the
// latest: an answer that arrives after the operator moved on (a slow list, then a click elsewhere)
// must not replace the page they are now on.
let latestNavigation = 0;

function helpersFor(navigation) {
  const current = () => navigation === latestNavigation;
  return {
    show: (title, ...content) => { if (current()) show(title, ...content); },
    current, link, errorBox, go, reload: () => route(), admin: () => Boolean(me && me.platform_admin),
  };
}

async function route() {
  const navigation = ++latestNavigation;
  const page = helpersFor(navigation);
  const [path, query] = (location.hash.slice(1) || "/orgs").split("?");
  const params = new URLSearchParams(query || "");
  const parts = path.split("/").filter(Boolean).map(decodeURIComponent);
  if (parts[0] === "sign-in") return signInPage();
  if (!me) {
    try {
      me = await tally.session();
      renderWho();
    } catch (error) {
      return signInPage();
    }
  }
  main.setAttribute("aria-busy", "true");
  try {
    if (parts[0] === "orgs" && parts.length === 1) await organizationsPage(page.show, params);
    else if (parts[0] === "orgs" && parts.length === 2) await organizationPage(page.show, parts[1]);
    else if (parts[0] === "orgs" && parts[2] === "accounts" && parts.length === 4) await accountPage(page.show, parts[1], parts[3], params);
    else if (parts[0] === "orgs" && parts[2] === "accounts" && parts[4] === "holds" && parts.length === 5) await holdsPage(page, parts[1], parts[3], params);
    else if (parts[0] === "orgs" && parts[2] === "accounts" && parts[4] === "holds" && parts.length === 6) await holdPage(page, parts[1], parts[3], parts[5]);
    else if (parts[0] === "orgs" && parts[2] === "accounts" && parts[4] === "grants" && parts.length === 5) await grantsPage(page, parts[1], parts[3]);
    else if (parts[0] === "orgs" && parts[2] === "accounts" && parts[4] === "transactions" && parts.length === 6) await allocationsPage(page, parts[1], parts[3], parts[5]);
    else if (parts[0] === "webhooks" && parts.length === 1 && me.platform_admin) await webhooksPage(page);
    else if (parts[0] === "webhooks" && parts.length === 2 && me.platform_admin) await deliveriesPage(page, parts[1], params);
    else page.show("Not found", h("p", {}, link("#/orgs", "Go to organizations")));
  } catch (error) {
    if (!page.current()) return;
    if (error.status === 401) {
      me = null;
      renderWho();
      return signInPage("Your session has ended; sign in again.");
    }
    page.show("Something went wrong", errorBox(error));
  } finally {
    if (page.current()) main.removeAttribute("aria-busy");
  }
}

window.addEventListener("hashchange", route);
route();
