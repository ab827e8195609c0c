import PDFDocument from "pdfkit";
import { winAnsiByte, winAnsiToUnicode } from "./pdf-text";

/**
 * Fast text for pdfkit's standard fonts. The speed bar (docs/quality.md#speed) allows 3 ms per invoice; pdfkit as is spends about 4 ms per
 * document and font parsing the font's AFM metrics, and some 20 µs per `text()` call (an invoice has ~150) on
 * option handling, kerning by string-keyed lookups and a save/transform/restore per fragment. So:
 *
 * - the metrics are parsed once per process and shared by every document (they are read-only);
 * - widths and kerning come from tables indexed by WinAnsi byte, built once from pdfkit's own measurements;
 * - a line of text is written as one BT…ET block, the same operators pdfkit writes, without its detours.
 *
 * This leans on pdfkit internals (`_fontFamilies`, `_fontCount`, a font's `id` and `ref()`), checked at run
 * time; if a future pdfkit no longer matches, every call falls back to pdfkit's public API: slower, same output.
 * test/billing/pdf.test.ts checks that the fast path is in use and that the text extracts correctly.
 */
export type StandardFontName = "Helvetica" | "Helvetica-Bold";
const FONTS: readonly StandardFontName[] = ["Helvetica", "Helvetica-Bold"];

interface FontInternals {
  name: string;
  id: string;
  document: unknown;
  font: { glyphWidths: Record<string, number> };
  ascender: number;
  descender: number;
  bbox: number[];
  lineGap: number;
  xHeight: number;
  capHeight: number;
  ref(): unknown;
}

interface DocumentInternals {
  _fontFamilies: Record<string, FontInternals>;
  _fontCount: number;
  _font: FontInternals | null;
}

interface Metrics {
  /** Advance width in 1/1000 em of each WinAnsi byte. */
  widths: Float64Array;
  /** Kerning in 1/1000 em of the pair (left << 8 | right); NaN until first asked for. */
  kerning: Float64Array;
  ascender: number;
  measure: (text: string) => number;
}

const templates = new Map<StandardFontName, FontInternals>();
const metrics = new Map<StandardFontName, Metrics>();
let fastPath = true;

function internals(doc: PDFKit.PDFDocument): DocumentInternals {
  return doc as unknown as DocumentInternals;
}

function looksLikeStandardFont(font: unknown): font is FontInternals {
  if (typeof font !== "object" || font === null) return false;
  const f = font as Partial<FontInternals>;
  return (
    typeof f.name === "string" &&
    typeof f.id === "string" &&
    typeof f.ref === "function" &&
    typeof f.font === "object" &&
    f.font !== null &&
    typeof f.font.glyphWidths === "object" &&
    typeof f.ascender === "number" &&
    Array.isArray(f.bbox)
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** The character of a WinAnsi byte, for measuring it. */
function charOf(byte: number): string {
  return String.fromCodePoint(winAnsiToUnicode(byte));
}

/** Parses each font once, in a scratch document of its own so that no real document is kept alive by the cache. */
function loadTemplates(): boolean {
  if (templates.size === FONTS.length) return true;
  const scratch = new PDFDocument({ autoFirstPage: false });
  for (const name of FONTS) {
    scratch.font(name).fontSize(1000);
    const loaded = internals(scratch)._font;
    if (!looksLikeStandardFont(loaded) || loaded.name !== name) return false;
    templates.set(name, loaded);
    const widths = new Float64Array(256);
    for (let b = 0x20; b <= 0xff; b++) {
      if (b !== 0x7f) widths[b] = scratch.widthOfString(charOf(b));
    }
    const kerning = new Float64Array(65536).fill(Number.NaN);
    metrics.set(name, {
      widths,
      kerning,
      ascender: loaded.ascender,
      // Kerning of a pair, as pdfkit would apply it: measured once, on first use.
      measure: (pair: string) => scratch.font(name).fontSize(1000).widthOfString(pair),
    });
  }
  return true;
}

function cloneFor(doc: PDFKit.PDFDocument, template: FontInternals, id: string): FontInternals {
  const clone = Object.create(Object.getPrototypeOf(template) as object) as FontInternals;
  clone.document = doc;
  clone.name = template.name;
  clone.id = id;
  clone.font = template.font; // the shared, parsed metrics
  clone.ascender = template.ascender;
  clone.descender = template.descender;
  clone.bbox = template.bbox;
  clone.lineGap = template.lineGap;
  clone.xHeight = template.xHeight;
  clone.capHeight = template.capHeight;
  return clone;
}

function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

const colorOps = new Map<string, string>();
function fillOp(hex: string): string {
  let op = colorOps.get(hex);
  if (op === undefined) {
    const n = Number.parseInt(hex.slice(1), 16);
    const c = (shift: number) => String(Math.round((((n >> shift) & 0xff) / 255) * 1000) / 1000);
    op = `${c(16)} ${c(8)} ${c(0)} rg`;
    colorOps.set(hex, op);
  }
  return op;
}

/** Measures and draws single lines of text in one document. */
export class Typesetter {
  private readonly fonts = new Map<StandardFontName, FontInternals>();
  private registeredOn: unknown = null;
  private pending: string[] = [];
  private pendingPage: PDFKit.PDFPage | null = null;
  private registered = new Set<StandardFontName>();

  constructor(readonly doc: PDFKit.PDFDocument) {
    const d = internals(doc);
    if (fastPath) {
      for (const name of FONTS) {
        const font = d._fontFamilies?.[name];
        if (looksLikeStandardFont(font) && metrics.has(name)) this.fonts.set(name, font);
      }
      if (this.fonts.size !== FONTS.length) this.fonts.clear();
    }
  }

  get fast(): boolean {
    return this.fonts.size > 0;
  }

  /** Width in points of one line of text (already WinAnsi-safe) in the font and size given. */
  width(text: string, font: StandardFontName, size: number): number {
    const m = metrics.get(font);
    if (!this.fast || m === undefined) return this.doc.font(font).fontSize(size).widthOfString(text);
    let total = 0;
    let previous = -1;
    for (let i = 0; i < text.length; i++) {
      const b = winAnsiByte(text.charCodeAt(i));
      total += m.widths[b];
      if (previous >= 0) total += kern(m, previous, b);
      previous = b;
    }
    return (total * size) / 1000;
  }

  /** One line of text whose top-left corner is (x, y), in the same operators pdfkit writes (kerning included). */
  draw(text: string, x: number, y: number, font: StandardFontName, size: number, color: string): void {
    if (text.length === 0) return;
    const f = this.fonts.get(font);
    const m = metrics.get(font);
    if (f === undefined || m === undefined) {
      this.doc.font(font).fontSize(size).fillColor(color).text(text, x, y, { lineBreak: false });
      return;
    }
    const page = this.doc.page;
    if (page !== this.pendingPage) this.flush();
    this.pendingPage = page;
    this.register(page, font, f);
    const parts: string[] = [];
    let hex = "";
    let previous = -1;
    for (let i = 0; i < text.length; i++) {
      const b = winAnsiByte(text.charCodeAt(i));
      if (previous >= 0) {
        const k = kern(m, previous, b);
        if (k !== 0) {
          parts.push(`<${hex}> ${num(-k)}`);
          hex = "";
        }
      }
      hex += HEX[b];
      previous = b;
    }
    parts.push(`<${hex}> 0`);
    // The page's user space is flipped (y grows downwards) by pdfkit, so the text matrix flips back.
    const baseline = num(y + (m.ascender * size) / 1000);
    const tj = parts.join(" ");
    this.pending.push(
      `BT\n/${f.id} ${num(size)} Tf\n${fillOp(color)}\n1 0 0 -1 ${num(x)} ${baseline} Tm\n[${tj}] TJ\nET`,
    );
  }

  /**
   * Writes the text drawn so far to its page. Text is collected and written in one piece (one buffer instead of
   * one per line); callers flush before drawing anything else on the page and before pages are ended.
   */
  flush(): void {
    if (this.pending.length > 0 && this.pendingPage !== null) this.pendingPage.write(this.pending.join("\n"));
    this.pending = [];
  }

  private register(page: PDFKit.PDFPage, name: StandardFontName, font: FontInternals): void {
    if (this.registeredOn !== page) {
      this.registeredOn = page;
      this.registered = new Set();
    }
    if (this.registered.has(name)) return;
    const fonts = page.fonts as Record<string, unknown>;
    if (fonts[font.id] == null) fonts[font.id] = font.ref();
    this.registered.add(name);
  }
}

function kern(m: Metrics, left: number, right: number): number {
  const key = (left << 8) | right;
  let k = m.kerning[key];
  if (Number.isNaN(k)) {
    k = Math.round(m.measure(charOf(left) + charOf(right)) - m.widths[left] - m.widths[right]);
    m.kerning[key] = k;
  }
  return k;
}

function installFonts(doc: PDFKit.PDFDocument): void {
  const d = internals(doc);
  fastPath =
    fastPath &&
    d._font === null &&
    typeof d._fontFamilies === "object" &&
    typeof d._fontCount === "number" &&
    loadTemplates();
  for (const name of FONTS) {
    const template = templates.get(name);
    if (fastPath && template) d._fontFamilies[name] = cloneFor(doc, template, `F${++d._fontCount}`);
    else doc.font(name);
  }
}

/** A new document with Helvetica and Helvetica-Bold ready, without parsing their metrics again. */
export function createDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  // `font: null` stops pdfkit from loading Helvetica in the constructor; installFonts does it instead.
  const doc = new PDFDocument({ ...options, font: null as unknown as undefined });
  installFonts(doc);
  doc.font("Helvetica");
  return doc;
}

/** Whether documents get the shared fonts and fast text (false only if pdfkit's internals have changed). */
export function fastTextActive(): boolean {
  return fastPath && templates.size === FONTS.length;
}
