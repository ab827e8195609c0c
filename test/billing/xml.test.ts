import fc from "fast-check";
import { create } from "xmlbuilder2";
import type { XMLBuilder } from "xmlbuilder2/lib/interfaces";
import { describe, expect, it } from "vitest";
import { XmlElement, xmlDocument } from "../../billing/xml";

/*
 * billing/xml.ts prints an element tree as xmlbuilder2 printed the e-invoice (prettyPrint), byte for byte: the
 * same trees are built with both and compared. The shapes are those of a UBL document: an element holds one text,
 * or elements and processing instructions, or nothing. One difference is intended: every "&" is escaped, where
 * xmlbuilder2 leaves one that starts something like an entity ("&amp;" stays "&amp;", which reads back as "&").
 */

interface Tree {
  name: string;
  attributes: Array<[string, string]>;
  content: { text: string } | { children: Array<Tree | { pi: string }> };
}

const name = fc.constantFrom("A", "Bb", "Item", "Price", "ID");
const value = fc
  .string({ unit: fc.constantFrom("a", "Å", " ", "&", "<", ">", '"', "'", ";", "#", "1", "ö", "\n", "€") })
  .filter((s) => !/&([A-Za-z]+|#\d+);/.test(s));
const attributes = fc.uniqueArray(fc.tuple(fc.constantFrom("id", "currencyID", "schemeID", "name"), value), {
  maxLength: 3,
  selector: ([k]) => k,
});
const { tree } = fc.letrec<{ tree: Tree; child: Tree | { pi: string } }>((t) => ({
  tree: fc.record({
    name,
    attributes,
    content: fc.oneof(
      { depthSize: "small" },
      fc.record({ text: value }),
      fc.record({ children: fc.array(t("child"), { maxLength: 4 }) }),
    ),
  }),
  child: fc.oneof({ depthSize: "small" }, t("tree"), fc.record({ pi: fc.constantFrom("0", "1", "12") })),
}));

function ours(t: Tree, parent?: XmlElement): XmlElement {
  const el = parent ? parent.ele(t.name, Object.fromEntries(t.attributes)) : new XmlElement(t.name, t.attributes);
  if ("text" in t.content) el.txt(t.content.text);
  else
    for (const c of t.content.children) {
      if ("pi" in c) el.ins("binary", c.pi);
      else ours(c, el);
    }
  return el;
}

function theirs(t: Tree, parent: XMLBuilder): void {
  const el = parent.ele(t.name, Object.fromEntries(t.attributes));
  if ("text" in t.content) el.txt(t.content.text);
  else
    for (const c of t.content.children) {
      if ("pi" in c) el.ins("binary", c.pi);
      else theirs(c, el);
    }
}

describe("billing/xml.ts", () => {
  it("prints what xmlbuilder2 printed, for any tree of the e-invoice's shapes", () => {
    fc.assert(
      fc.property(tree, (t) => {
        const doc = create({ version: "1.0", encoding: "UTF-8" });
        theirs(t, doc);
        expect(xmlDocument(ours(t))).toBe(doc.end({ prettyPrint: true, wellFormed: false }));
      }),
      { numRuns: 1_000 },
    );
  });

  it("escapes every ampersand, also one that looks like the start of an entity", () => {
    const root = new XmlElement("A", [["name", 'Q&amp;"']]);
    root.ele("B").txt("Dals-Ed &amp; Bengtsfors &#38; <x>");
    expect(xmlDocument(root)).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<A name="Q&amp;amp;&quot;">\n  <B>Dals-Ed &amp;amp; Bengtsfors &amp;#38; &lt;x&gt;</B>\n</A>',
    );
  });
});
