/*
 * Command-line administration. `npm run admin -- create-user --email E --password P --role admin|treasurer|member
 * [--member-code NNNN] [--name "Full Name"]`, on the database at DATABASE_PATH (default ./data/sambruk.db).
 * It goes through the same zod schema and use case as the admin page.
 */
import { parseArgs } from "node:util";
import { DomainError } from "../billing/errors";
import { zodFieldErrors } from "../app/http/errors";
import { UserCreateSchema } from "../app/lib/schemas";
import { createUser } from "../app/features/users/commands.server";
import { closeDatabase, connection } from "../db/client";

const usage = `Usage:
  npm run admin -- create-user --email E --password P --role admin|treasurer|member [--member-code NNNN] [--name NAME]

Environment: DATABASE_PATH (default ./data/sambruk.db)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command !== "create-user") {
    console.error(usage);
    return command === "--help" || command === "help" ? 0 : 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: "string" },
      password: { type: "string" },
      role: { type: "string" },
      "member-code": { type: "string" },
      name: { type: "string" },
    },
    strict: true,
  });
  const parsed = UserCreateSchema.safeParse({
    email: values.email,
    password: values.password,
    role: values.role,
    memberCode: values["member-code"],
    name: values.name ?? values.email?.split("@")[0] ?? "",
  });
  if (!parsed.success) {
    const flag = (field: string) => (field === "memberCode" || field === "memberId" ? "member-code" : field);
    for (const [field, message] of Object.entries(zodFieldErrors(parsed.error)))
      console.error(`  --${flag(field)}: ${message}`);
    return 2;
  }
  const conn = connection();
  try {
    const user = await createUser({ userId: null, email: "cli", role: "admin", memberId: null }, parsed.data);
    console.log(`Created ${user.role} ${user.email} (id ${user.id}) in ${conn.path}`);
    return 0;
  } catch (error) {
    if (error instanceof DomainError) {
      console.error(error.message);
      for (const [field, message] of Object.entries(error.fields ?? {})) console.error(`  ${field}: ${message}`);
      return error.kind === "conflict" ? 3 : 2;
    }
    throw error;
  } finally {
    closeDatabase();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
