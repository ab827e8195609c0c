/*
 * A small XML element tree and its serialisation, for the e-invoice (billing/ubl.ts): elements with attributes,
 * text or processing instructions, printed with two-space indentation and one element per line, as xmlbuilder2
 * prints them with prettyPrint (a test compares the two on random trees). xmlbuilder2 builds a full DOM per
 * document, which was most of the time of issuing a run (290 e-invoices); this builds plain objects.
 * Text escapes & < >, attribute values & < > ". Callers check that values hold only characters XML can carry.
 */

type Child = XmlElement | { text: string } | { pi: string; data: string };

export class XmlElement {
  private readonly children: Child[] = [];
  constructor(
    readonly name: string,
    private readonly attributes: ReadonlyArray<readonly [string, string]> = [],
  ) {}

  /** A child element, appended; returned so that its own children can be added. */
  ele(name: string, attributes?: Record<string, string>): XmlElement {
    const child = new XmlElement(name, attributes ? Object.entries(attributes) : []);
    this.children.push(child);
    return child;
  }

  /** A text; an empty one adds nothing (the element prints as `<name/>`, as xmlbuilder2 printed it). */
  txt(text: string): this {
    if (text !== "") this.children.push({ text });
    return this;
  }

  /** A processing instruction `<?target data?>`. */
  ins(target: string, data: string): this {
    this.children.push({ pi: target, data });
    return this;
  }

  /** The element as XML, at `depth` levels of indentation. */
  write(out: string[], depth: number): void {
    const indent = "  ".repeat(depth);
    let open = `${indent}<${this.name}`;
    for (const [name, value] of this.attributes) open += ` ${name}="${escapeAttribute(value)}"`;
    const only = this.children.length === 1 ? this.children[0] : null;
    if (this.children.length === 0) {
      out.push(`${open}/>`);
    } else if (only && "text" in only) {
      out.push(`${open}>${escapeText(only.text)}</${this.name}>`);
    } else {
      out.push(`${open}>`);
      for (const child of this.children) {
        if (child instanceof XmlElement) child.write(out, depth + 1);
        else if ("text" in child) out.push(`${indent}  ${escapeText(child.text)}`);
        else out.push(`${indent}  <?${child.pi} ${child.data}?>`);
      }
      out.push(`${indent}</${this.name}>`);
    }
  }
}

/** The document: the XML declaration and the root element, lines joined by "\n", no newline at the end. */
export function xmlDocument(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  root.write(out, 0);
  return out.join("\n");
}

const TEXT_SPECIAL = /[&<>]/g;
const ATTRIBUTE_SPECIAL = /[&<>"]/g;
const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" };

export function escapeText(text: string): string {
  return text.replace(TEXT_SPECIAL, (c) => ENTITIES[c]);
}

export function escapeAttribute(value: string): string {
  return value.replace(ATTRIBUTE_SPECIAL, (c) => ENTITIES[c]);
}
