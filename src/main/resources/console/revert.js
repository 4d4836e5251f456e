// The revert confirmation: says what the revert will do before it is sent, and shows Tally's own
// message when Tally refuses (for example "usage already reverted").
import { h, amount } from "./dom.js";

export function revertDialog({ acct, usage, balance, revertedAmount, revert, onDone }) {
  const full = Number(usage.amount);
  const currency = balance.currency;
  const input = h("input", { id: "revert-amount", type: "number", min: "1", max: String(full), step: "1",
    value: String(full), required: true });
  const effect = h("p", { id: "revert-effect", "aria-live": "polite" });
  const error = h("p", { class: "error", role: "alert", id: "revert-error" });
  const describe = () => {
    const value = Number(input.value);
    if (!Number.isInteger(value) || value < 1 || value > full) {
      effect.textContent = `Enter a whole amount from 1 to ${amount(full)}.`;
      return;
    }
    const rest = full - value;
    effect.textContent = `This credits ${amount(value, currency)} back to ${acct.name || acct.id}: the balance ` +
      `goes from ${amount(balance.amount)} to ${amount(balance.amount + value, currency)}. ` +
      (rest > 0 ? `A usage can be reverted only once, so the other ${amount(rest)} can never be reverted.`
        : "This is the whole usage.");
  };
  input.addEventListener("input", describe);
  describe();
  const dialog = h("dialog", { "aria-labelledby": "revert-title", "aria-describedby": "revert-effect" });
  const close = () => { dialog.close(); dialog.remove(); };
  const form = h("form", { method: "dialog", onsubmit: async (event) => {
      event.preventDefault();
      error.textContent = "";
      try {
        await revert(input.value);
        close();
        onDone();
      } catch (failure) {
        error.textContent = failure.message;
      }
    } },
    h("h2", { id: "revert-title" }, "Revert usage"),
    h("p", {}, `Usage ${usage.id}: ${amount(full, currency)} from ${usage.source}` +
      (usage.description ? ` (“${usage.description}”)` : "") + "."),
    revertedAmount !== undefined ? h("p", { class: "muted" }, `The list shows it already reverted by ${amount(revertedAmount)}.`) : null,
    h("label", { for: "revert-amount" }, `Amount to revert (1 to ${amount(full)})`), input,
    effect, error,
    h("div", { class: "buttons" },
      h("button", { type: "submit", class: "danger" }, "Confirm revert"),
      h("button", { type: "button", onclick: close }, "Cancel")));
  dialog.append(form);
  dialog.addEventListener("cancel", () => dialog.remove());
  document.body.append(dialog);
  dialog.showModal();
  input.focus();
  input.select();
}
