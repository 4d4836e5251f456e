// The webhooks pages (platform admin, DESIGN §14): #/webhooks lists, creates, enables/disables and
// deletes webhooks; #/webhooks/<id> shows its deliveries, paged and by state, with redeliver.
// `page` carries the console's shared helpers (show, link, errorBox, go, reload).
import * as tally from "./data.js";
import { h, when } from "./dom.js";
import { pageOf, stateFilteredPage } from "./paging.js";

const DELIVERY_STATES = [["", "All"], ["pending", "Pending"], ["delivered", "Delivered"],
  ["failed", "Failed"]];

export async function webhooksPage(page) {
  const list = await tally.webhooks();
  const url = h("input", { id: "webhook-url", type: "url", required: true, placeholder: "https://example.com/hooks/tally" });
  const description = h("input", { id: "webhook-description" });
  const events = h("input", { id: "webhook-events", placeholder: "empty: every event but app.billing.usage.created" });
  const status = h("div", { role: "status", class: "status" });
  const form = h("form", { class: "card", "aria-labelledby": "webhook-create-title", onsubmit: async (event) => {
      event.preventDefault();
      try {
        const names = events.value.split(",").map((e) => e.trim()).filter(Boolean);
        const created = await tally.createWebhook(url.value.trim(), description.value, names);
        page.reload().then(() => document.getElementById("webhook-secret-box")
          ?.replaceWith(secretBox(created)));
      } catch (error) {
        status.replaceChildren(page.errorBox(error));
      }
    } },
    h("h2", { id: "webhook-create-title" }, "Create a webhook"),
    h("label", { for: "webhook-url" }, "URL"), url,
    h("label", { for: "webhook-description" }, "Description"), description,
    h("label", { for: "webhook-events" }, "Events (comma-separated)"), events,
    h("button", { type: "submit" }, "Create webhook"), status);

  const rows = list.map((w) => {
    const rowStatus = h("span", { role: "status", class: "status" });
    const act = (change) => async () => {
      try {
        await change();
        await page.reload();
      } catch (error) {
        rowStatus.replaceChildren(page.errorBox(error));
      }
    };
    const enabled = w.state === "enabled";
    return h("tr", { "data-webhook": w.id },
      h("td", {}, page.link(`#/webhooks/${w.id}`, w.url)), h("td", {}, w.description || ""),
      h("td", {}, (w.subscribed_events || []).join(", ") || "all but usage.created"),
      h("td", {}, w.state),
      h("td", {},
        h("button", { type: "button", "aria-label": `${enabled ? "Disable" : "Enable"} webhook ${w.url}`,
          onclick: act(() => tally.setWebhookState(w, enabled ? "disabled" : "enabled")) },
          enabled ? "Disable" : "Enable"), " ",
        h("button", { type: "button", class: "danger", "aria-label": `Delete webhook ${w.url}`,
          onclick: act(async () => {
            // A deleted webhook's configuration and delivery log are gone for good.
            if (confirm(`Delete the webhook ${w.url}? Its deliveries stop and cannot be redelivered.`)) {
              await tally.deleteWebhook(w.id);
            }
          }) }, "Delete…"), rowStatus));
  });
  const table = h("table", { id: "webhooks" },
    h("caption", {}, `${list.length} webhook(s)`),
    h("thead", {}, h("tr", {}, ...["URL", "Description", "Events", "State", "Actions"].map((c) =>
      h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows));
  page.show("Webhooks", h("div", { id: "webhook-secret-box" }), form, h("div", { class: "scroll" }, table));
}

/** The signing secret, shown once: Tally keeps it but never answers it again. */
function secretBox(webhook) {
  const secret = (webhook.secrets || []).map((s) => `${s.id}=${s.value}`).join(" ");
  return h("section", { class: "card secret", role: "alert", id: "webhook-secret-box" },
    h("h2", {}, "Copy the signing secret now"),
    h("p", {}, `This is the only time the secret of ${webhook.url} is shown. Receivers check ` +
      "X-Signature with it."),
    h("code", { "data-testid": "webhook-secret" }, secret));
}

export async function deliveriesPage(page, webhookId, params) {
  const state = params.get("state") || "";
  const at = pageOf(params);
  const list = await tally.webhooks();
  const webhook = list.find((w) => w.id === webhookId);
  if (!webhook) {
    page.show("Webhook not found", h("p", {}, page.link("#/webhooks", "← Webhooks")));
    return;
  }
  const result = await tally.deliveries(webhookId, state, at.token);
  const rows = result.deliveries.map((d) => {
    const rowStatus = h("span", { role: "status", class: "status" });
    return h("tr", { "data-event": d.event_id },
      h("td", {}, when(d.created_at)), h("td", {}, d.action), h("td", {}, d.state),
      h("td", { class: "num" }, String(d.attempts || 0)),
      h("td", {}, d.last_status ? String(d.last_status) : ""), h("td", {}, d.last_error || ""),
      h("td", {}, h("button", { type: "button", "aria-label": `Redeliver event ${d.event_id}`, onclick: async () => {
          try {
            await tally.redeliver(webhookId, d.event_id);
            await page.reload();
          } catch (error) {
            rowStatus.replaceChildren(page.errorBox(error));
          }
        } }, "Redeliver"), rowStatus));
  });
  const deliveries = stateFilteredPage(page, { base: `#/webhooks/${webhookId}`, name: "delivery",
    label: "Filter deliveries", states: DELIVERY_STATES, state, page: at, nextPageToken: result.nextPageToken,
    table: { id: "deliveries", rows, counted: (n) => `${n} deliver${n === 1 ? "y" : "ies"}`,
      columns: ["Created", "Action", "State", "Attempts", "Last status", "Last error", "Action"] } });
  page.show(`Deliveries to ${webhook.url}`, h("p", {}, page.link("#/webhooks", "← Webhooks")),
    h("p", { class: "muted" }, `Webhook ${webhook.id} · ${webhook.state}`), ...deliveries);
}
