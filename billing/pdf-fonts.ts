import PDFDocument from "pdfkit";

/**
 * pdfkit builds each standard font by reading and parsing its AFM metrics file, once per document and font:
 * about 4 ms for Helvetica alone, which is more than SPEC 6 allows for a whole invoice (3 ms). The parsed
 * metrics are read-only, so we parse each font once per process and give every new document its own font
 * object that shares them.
 *
 * This leans on pdfkit internals (`_fontFamilies`, `_fontCount`, the font object's fields), checked at run
 * time: if a future pdfkit no longer matches, we fall back to pdfkit's own (slower but correct) loading.
 * test/billing/pdf.test.ts holds a timing test that notices when that happens.
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
}

interface DocumentInternals {
  _fontFamilies: Record<string, FontInternals>;
  _fontCount: number;
  _font: FontInternals | null;
}

const templates = new Map<StandardFontName, FontInternals>();
let cacheWorks = true;

function internals(doc: PDFKit.PDFDocument): DocumentInternals {
  return doc as unknown as DocumentInternals;
}

function looksLikeStandardFont(font: unknown): font is FontInternals {
  if (typeof font !== "object" || font === null) return false;
  const f = font as Partial<FontInternals>;
  return (
    typeof f.name === "string" &&
    typeof f.id === "string" &&
    typeof f.font === "object" &&
    f.font !== null &&
    typeof f.font.glyphWidths === "object" &&
    typeof f.ascender === "number" &&
    Array.isArray(f.bbox)
  );
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

/** Parses each font once, in a scratch document of its own so that no real document is kept alive by the cache. */
function loadTemplates(): boolean {
  if (templates.size === FONTS.length) return true;
  const scratch = new PDFDocument({ autoFirstPage: false });
  for (const name of FONTS) {
    scratch.font(name);
    const loaded = internals(scratch)._font;
    if (!looksLikeStandardFont(loaded) || loaded.name !== name) return false;
    templates.set(name, loaded);
  }
  return true;
}

function installFonts(doc: PDFKit.PDFDocument): void {
  const d = internals(doc);
  cacheWorks =
    cacheWorks &&
    d._font === null &&
    typeof d._fontFamilies === "object" &&
    typeof d._fontCount === "number" &&
    loadTemplates();
  for (const name of FONTS) {
    const template = templates.get(name);
    if (cacheWorks && template) d._fontFamilies[name] = cloneFor(doc, template, `F${++d._fontCount}`);
    else doc.font(name);
  }
}

/** A new A4 document with Helvetica and Helvetica-Bold ready, without parsing their metrics again. */
export function createDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  // `font: null` stops pdfkit from loading Helvetica in the constructor; installFonts does it instead.
  const doc = new PDFDocument({ ...options, font: null as unknown as undefined });
  installFonts(doc);
  doc.font("Helvetica");
  return doc;
}
