// Two small SVG charts drawn from data.js's series. Each has a text summary for screen readers
// and a legend; colours come from console.css classes (no inline style under the CSP).
import { svg, h, amount } from "./dom.js";

const WIDTH = 480;
const HEIGHT = 200;
const PAD = { left: 56, right: 10, top: 10, bottom: 24 };

function scale(min, max, from, to) {
  const span = max - min || 1;
  return (v) => from + ((v - min) / span) * (to - from);
}

/** Value labels and grid lines at the bottom, middle and top of the value axis. */
function axisLabels(minValue, maxValue, y) {
  const middle = Math.round((minValue + maxValue) / 2);
  return [maxValue, middle, minValue].flatMap((v) => [
    svg("line", { x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v), class: "grid" }),
    svg("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end", class: "axis" }, amount(v))]);
}

/** A step line of the balance after each entry: points [{at, balance}], oldest first. */
export function balanceChart(points, currency) {
  const figure = h("figure", { class: "chart", "data-chart": "balance" });
  const caption = h("figcaption", {}, "Balance over time");
  if (points.length === 0) {
    return append2(figure, caption, h("p", { class: "empty" }, "No entries yet."));
  }
  const times = points.map((p) => p.at.getTime());
  const values = points.map((p) => p.balance);
  const minValue = Math.min(0, ...values);
  const maxValue = Math.max(...values, 1);
  const x = scale(Math.min(...times), Math.max(...times), PAD.left, WIDTH - PAD.right);
  const y = scale(minValue, maxValue, HEIGHT - PAD.bottom, PAD.top);
  let path = `M${x(times[0])},${y(values[0])}`;
  for (let i = 1; i < points.length; i++) {
    path += ` H${x(times[i])} V${y(values[i])}`;
  }
  const last = values[values.length - 1];
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
      "aria-label": `Balance over the ${points.length - 1} most recent entries, now ${amount(last, currency)}` },
    ...axisLabels(minValue, maxValue, y),
    svg("path", { d: path, class: "line" }),
    svg("text", { x: PAD.left, y: HEIGHT - 8, class: "axis" }, points[0].at.toISOString().slice(0, 10)),
    svg("text", { x: WIDTH - PAD.right, y: HEIGHT - 8, "text-anchor": "end", class: "axis" },
      points[points.length - 1].at.toISOString().slice(0, 10)));
  return append2(figure, caption, chart,
    h("p", { class: "chart-summary", "data-testid": "balance-chart-summary" },
      `Now ${amount(last, currency)}; lowest ${amount(Math.min(...values))}, highest ${amount(Math.max(...values))}.`));
}

/** Stacked bars of usage per day, one colour per source. */
export function usageChart(usage, currency) {
  const figure = h("figure", { class: "chart", "data-chart": "usage" });
  const caption = h("figcaption", {}, "Usage per day by source");
  if (usage.days.length === 0) {
    return append2(figure, caption, h("p", { class: "empty" }, "No usage yet."));
  }
  const totals = usage.days.map((d) => Object.values(usage.amounts[d]).reduce((a, b) => a + b, 0));
  const maxValue = Math.max(...totals, 1);
  const y = scale(0, maxValue, HEIGHT - PAD.bottom, PAD.top);
  const slot = (WIDTH - PAD.left - PAD.right) / usage.days.length;
  const barWidth = Math.max(2, Math.min(40, slot * 0.7));
  const bars = [];
  usage.days.forEach((day, i) => {
    let base = 0;
    usage.sources.forEach((source, s) => {
      const value = usage.amounts[day][source] || 0;
      if (value === 0) return;
      const top = y(base + value);
      bars.push(svg("rect", { x: PAD.left + i * slot + (slot - barWidth) / 2, y: top, width: barWidth,
          height: y(base) - top, class: `series s${s % 6}` },
        svg("title", {}, `${day} ${source}: ${amount(value, currency)}`)));
      base += value;
    });
  });
  const chart = svg("svg", { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img",
      "aria-label": `Usage on ${usage.days.length} days from ${usage.sources.length} sources` },
    ...axisLabels(0, maxValue, y), ...bars,
    svg("text", { x: PAD.left, y: HEIGHT - 8, class: "axis" }, usage.days[0]),
    svg("text", { x: WIDTH - PAD.right, y: HEIGHT - 8, "text-anchor": "end", class: "axis" },
      usage.days[usage.days.length - 1]));
  const legend = h("ul", { class: "legend" }, usage.sources.map((source, s) =>
    h("li", {}, h("span", { class: `swatch s${s % 6}`, "aria-hidden": "true" }), source)));
  const total = totals.reduce((a, b) => a + b, 0);
  return append2(figure, caption, chart, legend,
    h("p", { class: "chart-summary", "data-testid": "usage-chart-summary" },
      `${amount(total, currency)} used over ${usage.days.length} day(s).`));
}

function append2(parent, ...children) {
  parent.append(...children);
  return parent;
}
