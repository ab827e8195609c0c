import type { StandardFontName } from "./pdf-fonts";
import { toWinAnsi } from "./pdf-text";

/** Millimetres to PDF points. */
export const mm = (value: number): number => (value * 72) / 25.4;

export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: mm(20),
  right: 595.28 - mm(20),
  top: mm(15),
  /** Body content stops here; the footer lives below. */
  bottom: mm(262),
  footerRule: mm(268),
} as const;
export const CONTENT_WIDTH = PAGE.right - PAGE.left;

export const COLOR = {
  text: "#1a1a1a",
  muted: "#5f6368",
  accent: "#1d3557",
  rule: "#c9ced6",
  faintRule: "#e3e6ea",
  headerFill: "#eef0f3",
  boxFill: "#f5f6f8",
  highlight: "#fff6d8",
} as const;

export interface TextStyle {
  font?: StandardFontName;
  size?: number;
  color?: string;
}

const ELLIPSIS = "…";

/**
 * Thin drawing helpers over pdfkit that place every string on one line at an exact position. They never let
 * pdfkit wrap (its LineWrapper is the slow path and can add pages on its own); wrapping and truncation are
 * done here, so text from users cannot push anything out of its column.
 */
export class Canvas {
  constructor(readonly doc: PDFKit.PDFDocument) {}

  style({ font = "Helvetica", size = 9, color = COLOR.text }: TextStyle): this {
    this.doc.font(font).fontSize(size).fillColor(color);
    return this;
  }

  width(text: string, style: TextStyle): number {
    this.doc.font(style.font ?? "Helvetica").fontSize(style.size ?? 9);
    return this.doc.widthOfString(text);
  }

  /** The text, cut with an ellipsis so that it fits in `maxWidth`. */
  fit(text: string, maxWidth: number, style: TextStyle): string {
    const clean = toWinAnsi(text);
    if (this.width(clean, style) <= maxWidth) return clean;
    const chars = [...clean];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.doc.widthOfString(chars.slice(0, mid).join("").trimEnd() + ELLIPSIS) <= maxWidth) lo = mid;
      else hi = mid - 1;
    }
    return chars.slice(0, lo).join("").trimEnd() + ELLIPSIS;
  }

  /** Splits the text into lines no wider than `maxWidth`; if more than `maxLines`, the last kept line ends in "…". */
  wrap(text: string, maxWidth: number, style: TextStyle, maxLines = Number.POSITIVE_INFINITY): string[] {
    const words = toWinAnsi(text).split(" ").filter((w) => w.length > 0);
    this.width("", style);
    const lines: string[] = [];
    let current = "";
    for (let word of words) {
      const candidate = current ? `${current} ${word}` : word;
      if (this.doc.widthOfString(candidate) <= maxWidth) {
        current = candidate;
        continue;
      }
      if (current) lines.push(current);
      // A single word wider than the column (a long name without spaces) is broken where it must be.
      while (this.doc.widthOfString(word) > maxWidth) {
        const chars = [...word];
        let n = chars.length - 1;
        while (n > 1 && this.doc.widthOfString(chars.slice(0, n).join("")) > maxWidth) n--;
        lines.push(chars.slice(0, n).join(""));
        word = chars.slice(n).join("");
      }
      current = word;
    }
    if (current) lines.push(current);
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    const chars = [...kept[maxLines - 1]];
    while (chars.length > 0 && this.doc.widthOfString(chars.join("").trimEnd() + ELLIPSIS) > maxWidth) chars.pop();
    kept[maxLines - 1] = chars.join("").trimEnd() + ELLIPSIS;
    return kept;
  }

  /** One line of text whose top-left corner is (x, y); cut with an ellipsis at `maxWidth` if given. */
  text(text: string, x: number, y: number, style: TextStyle = {}, maxWidth?: number): number {
    const line = maxWidth === undefined ? toWinAnsi(text) : this.fit(text, maxWidth, style);
    this.style(style);
    this.doc.text(line, x, y, { lineBreak: false });
    return this.doc.widthOfString(line);
  }

  /** One line of text whose top-right corner is (right, y). */
  textRight(text: string, right: number, y: number, style: TextStyle = {}, maxWidth?: number): void {
    const line = maxWidth === undefined ? toWinAnsi(text) : this.fit(text, maxWidth, style);
    this.style(style);
    this.doc.text(line, right - this.doc.widthOfString(line), y, { lineBreak: false });
  }

  /** Several lines, one below the other; returns the y below the last. */
  lines(lines: string[], x: number, y: number, style: TextStyle, leading: number): number {
    for (const line of lines) {
      this.text(line, x, y, style);
      y += leading;
    }
    return y;
  }

  rule(x1: number, x2: number, y: number, color: string = COLOR.rule, width = 0.5): void {
    this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
  }

  fill(x: number, y: number, w: number, h: number, color: string): void {
    this.doc.rect(x, y, w, h).fill(color);
  }

  box(x: number, y: number, w: number, h: number, fill: string, stroke: string): void {
    this.doc.roundedRect(x, y, w, h, 3).lineWidth(0.6).fillAndStroke(fill, stroke);
  }
}
