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

function Navigation({ user }: { user: NonNullable<RootData["user"]> }) {
  const board = user.role === "admin";
  const staff = user.role === "admin" || user.role === "treasurer";
  return (
    <nav aria-label="Huvudmeny" className="mainnav">
      <ul>
        {user.role === "member" && user.memberId ? (
          <li>
            <NavLink to={`/members/${user.memberId}`}>Min organisation</NavLink>
          </li>
        ) : null}
        {user.role === "member" ? (
          <li>
            <NavLink to="/invoices">Fakturor</NavLink>
          </li>
        ) : null}
        <li>
          <NavLink to="/members" end>
            Medlemmar
          </NavLink>
        </li>
        <li>
          <NavLink to="/projects">Projekt</NavLink>
        </li>
        {staff ? (
          <li>
            <NavLink to="/fees">Avgifter</NavLink>
          </li>
        ) : null}
        {staff ? (
          <li>
            <NavLink to="/fee-schedules">Avgiftsmodeller</NavLink>
          </li>
        ) : null}
        {board ? (
          <li>
            <NavLink to="/populations/import">Importera invånare</NavLink>
          </li>
        ) : null}
        {board ? (
          <li>
            <NavLink to="/admin/users">Användare</NavLink>
          </li>
        ) : null}
        {staff ? (
          <li>
            <NavLink to="/billing">Fakturering</NavLink>
          </li>
        ) : null}
        {staff ? (
          <li>
            <NavLink to="/settings">Inställningar</NavLink>
          </li>
        ) : null}
        {staff ? (
          <li>
            <NavLink to="/admin/audit">Logg</NavLink>
          </li>
        ) : null}
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
          {data?.demo ? <div className="demo-ribbon">Demoläge – påhittade organisationsnummer och demoanvändare</div> : null}
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
