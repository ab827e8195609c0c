import { z } from "zod";

/**
 * Sorting and paging of a list page, in the URL (`?sort=name&dir=asc&page=2`) so that a sorted page is a link,
 * the back button works and nothing needs JavaScript. A value that is not one of the page's columns, or a page
 * out of range, falls back to the page's default instead of an error: these parameters come from links the app
 * wrote, and a hand-edited URL should still show the list (docs/ui.md).
 */

export type SortDir = "asc" | "desc";

export interface TableSpec<C extends string> {
  columns: readonly [C, ...C[]];
  /** The sort when the URL names none; null keeps the order the use case returns. */
  defaultSort: C | null;
  defaultDir: SortDir;
  /** Rows per page; null shows every row. */
  pageSize: number | null;
}

export interface TableQuery<C extends string> {
  sort: C | null;
  dir: SortDir;
  page: number;
}

export const MAX_PAGE = 10_000;

function makeTableQuerySchema<C extends string>(spec: TableSpec<C>) {
  return z.object({
    sort: z.enum(spec.columns).nullable().catch(spec.defaultSort),
    dir: z.enum(["asc", "desc"]).catch(spec.defaultDir),
    page: z.coerce.number().int().min(1).max(MAX_PAGE).catch(1),
  });
}

/** Made once per list page: building a zod schema costs more than parsing with it, and a list page is hot. */
const schemas = new WeakMap<object, unknown>();

export function tableQuerySchema<C extends string>(spec: TableSpec<C>): ReturnType<typeof makeTableQuerySchema<C>> {
  let schema = schemas.get(spec) as ReturnType<typeof makeTableQuerySchema<C>> | undefined;
  if (!schema) schemas.set(spec, (schema = makeTableQuerySchema(spec)));
  return schema;
}

/** The table part of a query string; never throws. */
export function parseTableQuery<C extends string>(params: URLSearchParams, spec: TableSpec<C>): TableQuery<C> {
  const raw = {
    sort: params.get("sort") ?? spec.defaultSort,
    dir: params.get("dir") ?? spec.defaultDir,
    page: params.get("page") ?? 1,
  };
  return tableQuerySchema(spec).parse(raw) as TableQuery<C>;
}

/** One value a column sorts by; null (no value, e.g. a draft's number) always sorts last, in both directions. */
export type SortValue = string | number | bigint | null;

const collator = new Intl.Collator("sv-SE", { numeric: true, sensitivity: "base" });

function compareValues(a: SortValue, b: SortValue): number {
  if (typeof a === "string" && typeof b === "string") return collator.compare(a, b);
  if (a === b) return 0;
  return a! < b! ? -1 : 1;
}

/**
 * The rows sorted by one column, stable (equal values keep the use case's order, so a second sort key is the
 * default order), strings in Swedish order (å, ä, ö after z), nulls last.
 */
export function sortRows<T>(rows: readonly T[], valueOf: (row: T) => SortValue, dir: SortDir): T[] {
  const keyed = rows.map((row, index) => ({ row, index, value: valueOf(row) }));
  keyed.sort((x, y) => {
    if (x.value === null || y.value === null) {
      if (x.value === y.value) return x.index - y.index;
      return x.value === null ? 1 : -1;
    }
    const c = compareValues(x.value, y.value);
    if (c !== 0) return dir === "asc" ? c : -c;
    return x.index - y.index;
  });
  return keyed.map((k) => k.row);
}

export interface Page<T> {
  rows: T[];
  page: number;
  pages: number;
  total: number;
  from: number; // 1-based index of the first row shown, 0 when there are none
  to: number;
}

/** One page of the rows; a page past the end shows the last page rather than an empty list. */
export function pageOf<T>(rows: readonly T[], page: number, size: number | null): Page<T> {
  const total = rows.length;
  if (size === null) return { rows: [...rows], page: 1, pages: 1, total, from: total ? 1 : 0, to: total };
  const pages = Math.max(1, Math.ceil(total / size));
  const current = Math.min(Math.max(1, page), pages);
  const start = (current - 1) * size;
  const slice = rows.slice(start, start + size);
  return { rows: slice, page: current, pages, total, from: slice.length ? start + 1 : 0, to: start + slice.length };
}

/** Sort, then page: what a list loader does with its rows. */
export function sortAndPage<T, C extends string>(
  rows: readonly T[],
  query: TableQuery<C>,
  spec: TableSpec<C>,
  valueOf: Record<C, (row: T) => SortValue>,
): Page<T> {
  const sorted = query.sort ? sortRows(rows, valueOf[query.sort], query.dir) : [...rows];
  return pageOf(sorted, query.page, spec.pageSize);
}

/**
 * The link a column header points to: sorted by that column, ascending first (descending when it already is
 * ascending), back to page 1; every other parameter (the filters) kept.
 */
export function sortHref(
  search: string | URLSearchParams,
  column: string,
  current: { sort: string | null; dir: SortDir },
  firstDir: SortDir = "asc",
): string {
  const params = new URLSearchParams(search);
  const dir: SortDir = current.sort === column ? (current.dir === "asc" ? "desc" : "asc") : firstDir;
  params.set("sort", column);
  params.set("dir", dir);
  params.delete("page");
  return `?${params}`;
}

/** The link to another page of the same list, sort and filters kept. */
export function pageHref(search: string | URLSearchParams, page: number): string {
  const params = new URLSearchParams(search);
  if (page <= 1) params.delete("page");
  else params.set("page", String(page));
  const text = params.toString();
  return text ? `?${text}` : "?";
}
