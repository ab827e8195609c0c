import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { requireUser } from "~/lib/auth.server";

/** Home: a member's contact person lands on its own organisation, everyone else on the directory. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  if (user.role === "member" && user.memberId) throw redirect(`/members/${user.memberId}`);
  throw redirect("/members");
}
