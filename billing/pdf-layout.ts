import { Typesetter, type StandardFontName } from "./pdf-fonts";
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
 * The words of a text for wrapping. The space between digit groups ("1 364 919") and before "kr" belongs to the
 * number: an amount is never split over two lines.
 */
function unbreakableWords(text: string): string[] {
  const words: string[] = [];
  for (const token of text.split(" ")) {
    if (token.length === 0) continue;
    const last = words.length - 1;
    if (last >= 0 && endsWithDigit(words[last]) && (isDigitGroup(token) || token.startsWith("kr"))) {
      words[last] = `${words[last]} ${token}`;
    } else words.push(token);
  }
  return words;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;
const endsWithDigit = (s: string): boolean => isDigit(s.charCodeAt(s.length - 1));
/** "000", "000,00", "919": three digits and no fourth. */
const isDigitGroup = (s: string): boolean =>
  s.length >= 3 &&
  isDigit(s.charCodeAt(0)) &&
  isDigit(s.charCodeAt(1)) &&
  isDigit(s.charCodeAt(2)) &&
  !isDigit(s.charCodeAt(3));

/**
 * Drawing helpers that place every string on one line at an exact position. pdfkit never wraps (its
 * LineWrapper is slow and can add pages on its own): wrapping and truncation are done here, so text from users
 * cannot push anything out of its column. All text goes through toWinAnsi, so it is printable as it is.
 */
export class Canvas {
  private readonly type: Typesetter;

  constructor(readonly doc: PDFKit.PDFDocument) {
    this.type = new Typesetter(doc);
  }

  /** Writes pending text to its page: before pdfkit draws anything itself or a page changes or ends. */
  flush(): void {
    this.type.flush();
  }

  width(text: string, style: TextStyle): number {
    return this.measure(toWinAnsi(text), style);
  }

  private measure(clean: string, { font = "Helvetica", size = 9 }: TextStyle): number {
    return this.type.width(clean, font, size);
  }

  /** The text, cut with an ellipsis so that it fits in `maxWidth`. */
  fit(text: string, maxWidth: number, style: TextStyle): string {
    const clean = toWinAnsi(text);
    if (this.measure(clean, style) <= maxWidth) return clean;
    const chars = [...clean];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (this.measure(chars.slice(0, mid).join("").trimEnd() + ELLIPSIS, style) <= maxWidth) lo = mid;
      else hi = mid - 1;
    }
    return chars.slice(0, lo).join("").trimEnd() + ELLIPSIS;
  }

  /** Splits the text into lines no wider than `maxWidth`; if more than `maxLines`, the last kept line ends in "…". */
  wrap(text: string, maxWidth: number, style: TextStyle, maxLines = Number.POSITIVE_INFINITY): string[] {
    const space = this.measure(" ", style);
    const lines: string[] = [];
    let current = "";
    let currentWidth = 0;
    // Word widths are measured once and added up (Helvetica has no kerning across a space).
    for (let word of unbreakableWords(toWinAnsi(text))) {
      let width = this.measure(word, style);
      if (current && currentWidth + space + width <= maxWidth) {
        current += ` ${word}`;
        currentWidth += space + width;
        continue;
      }
      if (current) lines.push(current);
      // A single word wider than the column (a long name without spaces) is broken where it must be.
      while (width > maxWidth) {
        const chars = [...word];
        let n = chars.length - 1;
        while (n > 1 && this.measure(chars.slice(0, n).join(""), style) > maxWidth) n--;
        lines.push(chars.slice(0, n).join(""));
        word = chars.slice(n).join("");
        width = this.measure(word, style);
      }
      current = word;
      currentWidth = width;
    }
    if (current) lines.push(current);
    if (lines.length <= maxLines) return lines;
    const kept = lines.slice(0, maxLines);
    const chars = [...kept[maxLines - 1]];
    while (chars.length > 0 && this.measure(chars.join("").trimEnd() + ELLIPSIS, style) > maxWidth) chars.pop();
    kept[maxLines - 1] = chars.join("").trimEnd() + ELLIPSIS;
    return kept;
  }

  /** One line of text whose top-left corner is (x, y); cut with an ellipsis at `maxWidth` if given. */
  text(text: string, x: number, y: number, style: TextStyle = {}, maxWidth?: number): void {
    const line = maxWidth === undefined ? toWinAnsi(text) : this.fit(text, maxWidth, style);
    this.type.draw(line, x, y, style.font ?? "Helvetica", style.size ?? 9, style.color ?? COLOR.text);
  }

  /** One line of text whose top-right corner is (right, y). */
  textRight(text: string, right: number, y: number, style: TextStyle = {}, maxWidth?: number): void {
    const line = maxWidth === undefined ? toWinAnsi(text) : this.fit(text, maxWidth, style);
    const x = right - this.measure(line, style);
    this.type.draw(line, x, y, style.font ?? "Helvetica", style.size ?? 9, style.color ?? COLOR.text);
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
    this.type.flush();
    this.doc.moveTo(x1, y).lineTo(x2, y).lineWidth(width).strokeColor(color).stroke();
  }

  fill(x: number, y: number, w: number, h: number, color: string): void {
    this.type.flush();
    this.doc.rect(x, y, w, h).fill(color);
  }

  box(x: number, y: number, w: number, h: number, fill: string, stroke: string): void {
    this.type.flush();
    this.doc.roundedRect(x, y, w, h, 3).lineWidth(0.6).fillAndStroke(fill, stroke);
  }
}
