import { useId } from "react";

/*
 * A horizontal bar chart of the shares of one project-year, drawn as plain SVG on the server (no script, no
 * chart library). It is an image with a title and a description for screen readers; the table next to it is
 * the accessible alternative with every figure. Each bar carries its own text label, so the chart reads in
 * print and in greyscale too.
 */

export interface ChartBar {
  label: string;
  /** Whole öre; only compared with the other bars, never used as money. */
  value: number;
  valueText: string;
  highlight?: boolean;
}

const WIDTH = 760;
const LABEL_WIDTH = 210;
const VALUE_WIDTH = 210;
const BAR_HEIGHT = 20;
const GAP = 8;
const TOP = 8;

/** Most shares first; beyond `maxBars` the smallest are gathered into one bar so the chart stays readable. */
export function chartBars(
  bars: ChartBar[],
  maxBars: number,
  othersText: (count: number, value: number) => string,
): ChartBar[] {
  const sorted = [...bars].sort((a, b) => b.value - a.value || a.label.localeCompare(b.label, "sv"));
  if (sorted.length <= maxBars) return sorted;
  const shown = sorted.slice(0, maxBars - 1);
  const rest = sorted.slice(maxBars - 1);
  const restValue = rest.reduce((sum, b) => sum + b.value, 0);
  const highlighted = rest.find((b) => b.highlight);
  if (highlighted) shown.push(highlighted);
  const others = rest.filter((b) => b !== highlighted);
  const othersValue = highlighted ? restValue - highlighted.value : restValue;
  return [
    ...shown,
    {
      label: `Övriga ${others.length} deltagare`,
      value: othersValue,
      valueText: othersText(others.length, othersValue),
    },
  ];
}

function truncate(text: string, max = 30): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function AllocationChart({
  title,
  description,
  bars,
}: {
  title: string;
  description: string;
  bars: ChartBar[];
}) {
  const id = useId();
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const barArea = WIDTH - LABEL_WIDTH - VALUE_WIDTH;
  const height = TOP * 2 + bars.length * (BAR_HEIGHT + GAP);
  return (
    <figure className="card" style={{ margin: "0 0 18px" }}>
      <svg
        role="img"
        aria-labelledby={`${titleId} ${descId}`}
        viewBox={`0 0 ${WIDTH} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        style={{ maxWidth: 920, display: "block" }}
        xmlns="http://www.w3.org/2000/svg"
        className="chart-svg"
      >
        <title id={titleId}>{title}</title>
        <desc id={descId}>{description}</desc>
        <line x1={LABEL_WIDTH} x2={LABEL_WIDTH} y1={0} y2={height} stroke="#b8c1cc" strokeWidth={1} />
        {bars.map((bar, i) => {
          const y = TOP + i * (BAR_HEIGHT + GAP);
          // Bar lengths are pixels, not money: a float is fine here.
          const w = bar.value === 0 ? 0 : Math.max(2, (bar.value / max) * (barArea - 8));
          return (
            <g key={`${bar.label}-${i}`}>
              <text
                x={LABEL_WIDTH - 8}
                y={y + BAR_HEIGHT / 2}
                dominantBaseline="middle"
                textAnchor="end"
                fontSize={13}
                fill="#1d2430"
              >
                {truncate(bar.label)}
              </text>
              <rect
                x={LABEL_WIDTH}
                y={y}
                width={w}
                height={BAR_HEIGHT}
                rx={2}
                fill={bar.highlight ? "#b7791f" : "#2e6da4"}
              />
              <text
                x={LABEL_WIDTH + w + 6}
                y={y + BAR_HEIGHT / 2}
                dominantBaseline="middle"
                fontSize={13}
                fill="#1d2430"
              >
                {bar.valueText}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
