// The tables Tally pages on the server (an account's transactions and holds, a webhook's
// deliveries). Page tokens are opaque: the console goes forward with next_page_token and back with
// the browser's Back button or to the first page, so the page number is only what the URL carries,
// for the caption. Nothing here fetches; the pages pass in what data.js answered.
import { h } from "./dom.js";

/** The page a URL asks for: its number (1 when absent) and the server's token ("" for the first page). */
export function pageOf(params) {
  return { number: Math.max(1, Number(params.get("page") || 1)), token: params.get("page_token") || "" };
}

/** The first page ("" token) or the next one, keeping the URL's other parameters (the filters). */
function pageHref(base, params, token, nextNumber) {
  const query = new URLSearchParams(params);
  query.delete("page_token");
  query.delete("page");
  if (token) {
    query.set("page_token", token);
    query.set("page", nextNumber);
  }
  return base + (query.toString() ? "?" + query : "");
}

/** First page (past the first) · "Page N", "(last)" without a next token · Next page (with one). */
export function pager(link, base, params, number, nextPageToken) {
  return h("nav", { class: "pager", "aria-label": "Pages" },
    number > 1 ? link(pageHref(base, params, "", number + 1), "First page") : null,
    h("span", {}, nextPageToken ? `Page ${number}` : `Page ${number} (last)`),
    nextPageToken ? link(pageHref(base, params, nextPageToken, number + 1), "Next page") : null);
}

/** One page's table: caption "Page N: " and counted(rows), a header (`numeric` columns right-aligned), the rows. */
export function pageTable({ id, number, counted, columns, numeric = [], rows }) {
  return h("table", { id },
    h("caption", {}, `Page ${number}: ${counted(rows.length)}`),
    h("thead", {}, h("tr", {},
      ...columns.map((c) => h("th", { scope: "col", class: numeric.includes(c) ? "num" : null }, c)))),
    h("tbody", {}, rows));
}

/**
 * One page of a list filtered by its state (holds, deliveries): the filter form, the table and the
 * pager, in the order the page shows them. `name` is the filter's id stem (#<name>-state in
 * #<name>-filter); `states` are [value, text] pairs, "" for all; `table` is what pageTable takes
 * but the number; `page` is pageOf's answer.
 */
export function stateFilteredPage(helpers, { base, name, label, states, state, page, table, nextPageToken }) {
  const stateSelect = h("select", { id: `${name}-state`, name: "state" },
    states.map(([v, text]) => h("option", { value: v, selected: v === state }, text)));
  const filter = h("form", { class: "filters", id: `${name}-filter`, "aria-label": label, onsubmit: (event) => {
      event.preventDefault();
      helpers.go(base + (stateSelect.value ? "?state=" + stateSelect.value : ""));
    } },
    h("div", {}, h("label", { for: `${name}-state` }, "State"), stateSelect),
    h("button", { type: "submit" }, "Show"));
  const filters = new URLSearchParams(state ? { state } : {});
  return [filter, h("div", { class: "scroll" }, pageTable({ ...table, number: page.number })),
    pager(helpers.link, base, filters, page.number, nextPageToken)];
}
