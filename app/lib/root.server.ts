import { env } from "../env.server";
import { getUser } from "./auth.server";

export async function rootData(request: Request) {
  const user = await getUser(request);
  return {
    user: user ? { id: user.id, name: user.name, email: user.email, role: user.role, memberId: user.memberId } : null,
    demo: env().DEMO_MODE,
  };
}
