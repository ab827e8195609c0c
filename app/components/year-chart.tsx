import { useId } from "react";

/*
 * Grouped vertical bars per year, drawn as plain SVG on the server like the allocation chart: an image with a
 * title and description for screen readers, each bar labelled with its value so that it reads in print and in
 * greyscale; the table beside it is the accessible alternative with every figure.
 */

export interface YearSeries {
  label: string;
  colour: string;
}

export interface YearGroup {
  year: number;
  /** Whole öre per series, same order as `series`; only compared with each other, never used as money. */
  values: number[];
  valueTexts: string[];
}

const HEIGHT = 220;
const TOP = 26;
const BOTTOM = 28;
const BAR = 46;
const INNER_GAP = 6;
const GROUP_GAP = 30;
const LEFT = 8;

export function YearChart({
  title,
  description,
  series,
  groups,
}: {
  title: string;
  description: string;
  series: YearSeries[];
  groups: YearGroup[];
}) {
  const id = useId();
  const max = Math.max(1, ...groups.flatMap((g) => g.values));
  const groupWidth = series.length * BAR + (series.length - 1) * INNER_GAP;
  const width = Math.max(320, LEFT * 2 + groups.length * groupWidth + (groups.length - 1) * GROUP_GAP);
  const plot = HEIGHT - TOP - BOTTOM;
  return (
    <figure className="chart" style={{ margin: 0 }}>
      <svg
        role="img"
        aria-labelledby={`${id}-t ${id}-d`}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        style={{ maxWidth: width, display: "block" }}
        xmlns="http://www.w3.org/2000/svg"
      >
        <title id={`${id}-t`}>{title}</title>
        <desc id={`${id}-d`}>{description}</desc>
        <line x1={0} x2={width} y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} stroke="#b8c1cc" />
        {groups.map((g, gi) => {
          const x0 = LEFT + gi * (groupWidth + GROUP_GAP);
          return (
            <g key={g.year}>
              {g.values.map((v, si) => {
                // Pixels, not money: a float is fine here.
                const h = v <= 0 ? 0 : Math.max(2, (v / max) * (plot - 14));
                const x = x0 + si * (BAR + INNER_GAP);
                return (
                  <g key={series[si].label}>
                    <rect x={x} y={HEIGHT - BOTTOM - h} width={BAR} height={h} rx={2} fill={series[si].colour} />
                    <text x={x + BAR / 2} y={HEIGHT - BOTTOM - h - 4} textAnchor="middle" fontSize={10} fill="#1d2430">
                      {g.valueTexts[si]}
                    </text>
                  </g>
                );
              })}
              <text x={x0 + groupWidth / 2} y={HEIGHT - 9} textAnchor="middle" fontSize={13} fill="#1d2430">
                {g.year}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="legend small">
        {series.map((s) => (
          <span key={s.label}>
            <span className="swatch" style={{ background: s.colour }} aria-hidden="true" /> {s.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}

/** "1,2 mnkr", "640 tkr", "900 kr": a short label for a bar; the table beside the chart has the exact figure. */
export function shortKronor(ore: number): string {
  const kr = Math.round(ore / 100);
  if (Math.abs(kr) >= 1_000_000) {
    const tenths = Math.round(kr / 100_000); // whole tenths of a million, so no decimal arithmetic on text
    return `${Math.trunc(tenths / 10)},${Math.abs(tenths % 10)} mnkr`;
  }
  if (Math.abs(kr) >= 10_000) return `${Math.round(kr / 1000)} tkr`;
  return `${kr} kr`;
}
