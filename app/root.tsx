import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
import { can, privateMemberOf, type Action } from "../billing/policy";
import { roleLabel } from "~/lib/i18n";
import { rootData } from "~/lib/root.server";
import styles from "~/styles.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  return json(await rootData(request));
}

type RootData = Awaited<ReturnType<typeof rootData>>;

/**
 * The main menu: an item is shown when the policy lets the user do what the page is for (billing/policy.ts), so
 * a menu never offers what the route would refuse. Items without an action are for everyone logged in.
 */
const NAV: Array<{ to: string; label: string; action?: Action; end?: boolean }> = [
  { to: "/", label: "Översikt", action: "overview.read", end: true },
  { to: "/members", label: "Medlemmar", end: true },
  { to: "/projects", label: "Projekt" },
  { to: "/fees", label: "Avgifter", action: "fees.read.all" },
  { to: "/billing", label: "Fakturering", action: "billing-run.read" },
  { to: "/invoices", label: "Fakturor" },
  { to: "/payment-files", label: "Inbetalningar", action: "payment.read" },
  { to: "/receivables", label: "Kundreskontra", action: "receivables.read" },
  { to: "/fee-schedules", label: "Avgiftsmodeller", action: "fees.read.all" },
  { to: "/populations/import", label: "Importera invånare", action: "population.import" },
  { to: "/admin/users", label: "Användare", action: "user.manage" },
  { to: "/settings", label: "Inställningar", action: "settings.read" },
  { to: "/admin/audit", label: "Logg", action: "audit.read" },
];

function Navigation({ user }: { user: NonNullable<RootData["user"]> }) {
  const actor = { userId: user.id, role: user.role, memberId: user.memberId };
  const own = privateMemberOf(actor);
  return (
    <nav aria-label="Huvudmeny" className="mainnav">
      <ul>
        {typeof own === "number" ? (
          <li>
            <NavLink to={`/members/${own}`}>Min organisation</NavLink>
          </li>
        ) : null}
        {NAV.filter((item) => !item.action || can(actor, item.action)).map((item) => (
          <li key={item.to}>
            <NavLink to={item.to} end={item.end}>
              {item.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const user = data?.user ?? null;
  return (
    <html lang="sv">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <a className="skip" href="#main">
          Hoppa till innehållet
        </a>
        <header className="topbar">
          <div className="topbar-inner">
            <Link to="/" className="brand">
              <span className="brand-mark" aria-hidden="true">
                S
              </span>
              <span>
                Sambruk <strong>Admin</strong>
              </span>
            </Link>
            {user ? <Navigation user={user} /> : null}
            {user ? (
              <div className="whoami">
                <span>
                  {user.name} <small>{roleLabel[user.role]}</small>
                </span>
                <Form method="post" action="/logout">
                  <button type="submit" className="btn-link">
                    Logga ut
                  </button>
                </Form>
              </div>
            ) : null}
          </div>
          {data?.demo ? (
            <div className="demo-ribbon">Demoläge – påhittade organisationsnummer och demoanvändare</div>
          ) : null}
        </header>
        <main id="main" className="page">
          {children}
        </main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const title =
      error.status === 403
        ? "Du saknar behörighet"
        : error.status === 404
          ? "Sidan finns inte"
          : error.status === 400
            ? "Felaktig begäran"
            : `Fel ${error.status}`;
    return (
      <section className="error-page">
        <h1>{title}</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : error.statusText}</p>
        <p>
          <Link to="/">Till startsidan</Link>
        </p>
      </section>
    );
  }
  return (
    <section className="error-page">
      <h1>Något gick fel</h1>
      <p>Ett oväntat fel inträffade. Försök igen, och kontakta föreningens administratör om det upprepas.</p>
    </section>
  );
}
