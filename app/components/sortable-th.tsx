import { useLocation } from "@remix-run/react";
import { pageHref, sortHref, type Page, type SortDir } from "~/lib/table";

/**
 * A column header that sorts the list on the server: a plain link (works without JavaScript), `aria-sort` on
 * the column the list is sorted by, an arrow that shows the direction.
 */
export function SortableTh({
  column,
  sort,
  dir,
  children,
  className,
  firstDir = "asc",
}: {
  column: string;
  sort: string | null;
  dir: SortDir;
  children: React.ReactNode;
  className?: string;
  /** Amounts and days read best largest first. */
  firstDir?: SortDir;
}) {
  const { search } = useLocation();
  const active = sort === column;
  return (
    <th scope="col" className={className} aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <a href={sortHref(search, column, { sort, dir }, firstDir)} className="sort-link">
        {children}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (dir === "asc" ? " ▲" : " ▼") : " ↕"}
        </span>
      </a>
    </th>
  );
}

/** "Visar 1–50 av 120" and links to the other pages: Föregående, the page numbers near this one, Nästa. */
export function Pager({
  page,
  label,
}: {
  page: Pick<Page<unknown>, "page" | "pages" | "total" | "from" | "to">;
  label: string;
}) {
  const { search } = useLocation();
  if (page.pages <= 1) return null;
  const near: number[] = [];
  for (let p = 1; p <= page.pages; p++) if (p === 1 || p === page.pages || Math.abs(p - page.page) <= 2) near.push(p);
  return (
    <nav className="pager" aria-label={label}>
      <span className="muted small">
        Visar {page.from}–{page.to} av {page.total}
      </span>
      {page.page > 1 ? (
        <a href={pageHref(search, page.page - 1)} rel="prev">
          ← Föregående
        </a>
      ) : null}
      {near.map((p, i) => (
        <span key={p}>
          {i > 0 && p - near[i - 1] > 1 ? <span className="muted">… </span> : null}
          {p === page.page ? (
            <strong aria-current="page">{p}</strong>
          ) : (
            <a href={pageHref(search, p)} aria-label={`Sida ${p}`}>
              {p}
            </a>
          )}
        </span>
      ))}
      {page.page < page.pages ? (
        <a href={pageHref(search, page.page + 1)} rel="next">
          Nästa →
        </a>
      ) : null}
    </nav>
  );
}
