// The holds pages of an account (DESIGN §12): #/orgs/<org>/accounts/<account>/holds lists them,
// newest first, 25 a page, by state; #/orgs/<org>/accounts/<account>/holds/<id> shows one, and a
// platform admin captures or releases a live one after a confirmation stating the effect; Tally's
// refusal (for example "hold is captured" when someone else got there first) is shown on the page.
// `page` carries the console's shared helpers (show, link, errorBox, go, reload, admin).
import * as tally from "./data.js";
import { h, amount, when } from "./dom.js";
import { confirmDialog } from "./confirm.js";
import { pageOf, stateFilteredPage } from "./paging.js";

const HOLDS_PAGE_SIZE = 25;
const STATES = [["", "All"], ["held", "Held"], ["captured", "Captured"], ["released", "Released"], ["expired", "Expired"]];

function accountBase(orgId, accountId) {
  return `#/orgs/${orgId}/accounts/${accountId}`;
}

function figures(bal) {
  const figure = (label, value, key) => h("div", {}, h("dt", {}, label), h("dd", { "data-figure": key }, value));
  return h("dl", { class: "figures" },
    figure("Balance", amount(bal.amount, bal.currency), "balance"),
    figure("Held", amount(bal.held, bal.currency), "held"),
    figure("Available", amount(bal.available, bal.currency), "available"));
}

export async function holdsPage(page, orgId, accountId, params) {
  const state = params.get("state") || "";
  const at = pageOf(params);
  const org = await tally.organization(orgId);
  const [acct, bal, result] = await Promise.all([tally.account(org.id, accountId), tally.balance(org.id, accountId),
    tally.holds(org.id, accountId, state, HOLDS_PAGE_SIZE, at.token)]);
  const base = accountBase(org.id, accountId) + "/holds";
  const rows = result.holds.map((hold) => h("tr", { "data-hold": hold.id },
    h("td", {}, h("a", { href: `${base}/${hold.id}`, "aria-label": `Hold ${hold.id}` }, hold.id.slice(0, 8) + "…")),
    h("td", {}, when(hold.created_at)),
    h("td", {}, hold.state),
    h("td", { class: "num" }, amount(hold.amount || 0)),
    h("td", { class: "num" }, hold.state === "captured" ? amount(hold.captured_amount || 0) : ""),
    h("td", {}, hold.source || ""), h("td", {}, hold.description || ""),
    h("td", {}, when(hold.expires_at))));
  const list = stateFilteredPage(page, { base, name: "hold", label: "Filter holds", states: STATES, state, page: at,
    nextPageToken: result.nextPageToken,
    table: { id: "holds", rows, counted: (n) => `${n} hold${n === 1 ? "" : "s"}, newest first`,
      columns: ["Hold", "Created", "State", "Amount", "Captured", "Source", "Description", "Expires"],
      numeric: ["Amount", "Captured"] } });
  page.show(`Holds of ${acct.name || acct.id}`,
    h("p", {}, page.link(accountBase(org.id, accountId), `← ${acct.name || "Billing account"} of ${org.name}`)),
    figures(bal), ...list);
}

export async function holdPage(page, orgId, accountId, holdId) {
  const org = await tally.organization(orgId);
  const [acct, bal, hold] = await Promise.all([tally.account(org.id, accountId), tally.balance(org.id, accountId),
    tally.hold(org.id, accountId, holdId)]);
  const field = (label, value, key) => [h("dt", {}, label), h("dd", { "data-field": key }, value)];
  const details = h("dl", { class: "card details", id: "hold-details" },
    field("State", hold.state, "state"),
    field("Amount", amount(hold.amount || 0, bal.currency), "amount"),
    field("Captured", hold.state === "captured" ? amount(hold.captured_amount || 0, bal.currency) : "", "captured"),
    field("Usage", hold.usage_id || "", "usage"),
    field("Expires", when(hold.expires_at), "expires"),
    field("Source", hold.source || "", "source"),
    field("Description", hold.description || "", "description"),
    field("User", hold.user_id || "", "user"),
    field("Metadata", hold.metadata && Object.keys(hold.metadata).length ? JSON.stringify(hold.metadata) : "", "metadata"),
    field("Created", when(hold.created_at), "created"),
    field("Updated", when(hold.updated_at), "updated"));
  const status = h("div", { role: "status", class: "status", id: "hold-status" });
  let actions;
  if (!page.admin()) {
    actions = h("p", { class: "muted" }, "Read-only: a service user's session cannot change anything.");
  } else if (hold.state !== "held") {
    actions = h("p", { class: "muted" }, `This hold is ${hold.state}: there is nothing to capture or release.`);
  } else {
    actions = holdActions(page, org, acct, bal, hold, status);
  }
  page.show(`Hold ${hold.id}`,
    h("p", {}, page.link(accountBase(org.id, accountId) + "/holds", `← Holds of ${acct.name || acct.id}`)),
    figures(bal), details, status, actions);
}

function holdActions(page, org, acct, bal, hold, status) {
  const held = Number(hold.amount || 0);
  const currency = bal.currency;
  const captureAmount = h("input", { id: "capture-amount", type: "number", min: "0", max: String(held), step: "1",
    value: String(held), required: true });
  const captureDescription = h("input", { id: "capture-description", placeholder: hold.description || "" });
  // Whatever Tally answers, the page is shown again from Tally's state; a refusal is shown on the
  // page shown again (#hold-status is on it whatever the hold's state is now).
  const act = async (effect, title, confirmLabel, change) => {
    status.replaceChildren();
    if (!(await confirmDialog({ title, effect, confirmLabel }))) return;
    try {
      await change();
    } catch (error) {
      await page.reload();
      document.getElementById("hold-status")?.replaceChildren(page.errorBox(error));
      return;
    }
    await page.reload();
  };
  const capture = h("form", { class: "card", "aria-labelledby": "capture-title", onsubmit: (event) => {
      event.preventDefault();
      const value = Number(captureAmount.value);
      if (!Number.isInteger(value) || value < 0 || value > held) {
        status.replaceChildren(page.errorBox(new Error(`Enter a whole amount from 0 to ${amount(held)}.`)));
        return;
      }
      act(captureEffect(acct, bal, hold, value), "Capture hold", "Confirm capture",
        () => tally.captureHold(org.id, acct.id, hold.id, value, captureDescription.value.trim()));
    } },
    h("h2", { id: "capture-title" }, "Capture"),
    h("label", { for: "capture-amount" }, `Amount used (0 to ${amount(held)}; the rest is released)`), captureAmount,
    h("label", { for: "capture-description" }, "Usage description (empty: the hold's)"), captureDescription,
    h("button", { type: "submit" }, "Capture…"));
  const release = h("div", { class: "card" },
    h("h2", {}, "Release"),
    h("p", {}, "Ends the hold without a debit."),
    h("button", { type: "button", class: "danger", onclick: () => act(
        `This releases all ${amount(held, currency)} of the hold without a debit: available goes from ` +
        `${amount(bal.available)} to ${amount(bal.available + held, currency)}; the balance stays ` +
        `${amount(bal.amount, currency)}.`, "Release hold", "Confirm release",
        () => tally.releaseHold(org.id, acct.id, hold.id)) }, "Release…"));
  return h("section", { class: "actions", "aria-label": "Actions" }, capture, release);
}

function captureEffect(acct, bal, hold, value) {
  const held = Number(hold.amount || 0);
  const currency = bal.currency;
  const rest = held - value;
  if (value === 0) {
    return `This ends the hold without a debit: all ${amount(held, currency)} are released, available goes from ` +
      `${amount(bal.available)} to ${amount(bal.available + held, currency)}.`;
  }
  return `This debits ${amount(value, currency)} from ${acct.name || acct.id} as the usage ${hold.id}` +
    (rest > 0 ? ` and releases the other ${amount(rest, currency)}` : "") + `: the balance goes from ` +
    `${amount(bal.amount)} to ${amount(bal.amount - value, currency)}, available from ${amount(bal.available)} to ` +
    `${amount(bal.available + rest, currency)}.`;
}
