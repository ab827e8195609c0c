/*
 * How a typed search meets a name: case does not matter (Swedish rules, so Å/Ä/Ö stay letters of their own), and
 * neither do the spaces, hyphens and dashes that people type or leave out at will — "dals ed", "dalsed" and
 * "Dals-Ed" are the same search. Letters are not folded to ASCII: "a" does not find "ä", as a Swede expects.
 */
const IGNORED = /[\s\-\u2010-\u2015.·']/gu;

export function searchKey(text: string): string {
  return text.toLocaleLowerCase("sv").replace(IGNORED, "");
}

/** Whether `query` occurs in `text` after both are reduced to their search keys; an empty query matches all. */
export function matchesText(text: string, query: string): boolean {
  const needle = searchKey(query);
  return needle === "" || searchKey(text).includes(needle);
}
