// A confirmation as a modal <dialog> (Escape or Cancel answers no): says what a change will do
// before it is sent. Resolves true only when the operator confirms.
import { h } from "./dom.js";

export function confirmDialog({ title, effect, confirmLabel }) {
  return new Promise((resolve) => {
    const dialog = h("dialog", { "aria-labelledby": "confirm-title", "aria-describedby": "confirm-effect" });
    const finish = (answer) => {
      if (dialog.open) dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const form = h("form", { method: "dialog", onsubmit: (event) => {
        event.preventDefault();
        finish(true);
      } },
      h("h2", { id: "confirm-title" }, title),
      h("p", { id: "confirm-effect" }, effect),
      h("div", { class: "buttons" },
        h("button", { type: "submit", class: "danger", id: "confirm-yes" }, confirmLabel),
        h("button", { type: "button", onclick: () => finish(false) }, "Cancel")));
    dialog.append(form);
    dialog.addEventListener("cancel", () => finish(false));
    document.body.append(dialog);
    dialog.showModal();
    dialog.querySelector("#confirm-yes").focus();
  });
}
