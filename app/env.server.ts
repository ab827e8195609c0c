import { z } from "zod";

/**
 * The environment, validated once at start-up. Production refuses to start without a real session secret;
 * the demo and the tests get a generated one.
 */
const EnvSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    DATABASE_PATH: z.string().min(1).default("./data/sambruk.db"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    SESSION_SECRET: z.string().optional(),
    DEMO_MODE: z
      .enum(["0", "1", "true", "false"])
      .default("0")
      .transform((v) => v === "1" || v === "true"),
    COOKIE_SECURE: z.enum(["0", "1", "true", "false"]).optional(),
    LOG_LEVEL: z.enum(["silent", "info", "debug"]).default("info"),
    // Delivery (docs/delivery.md): SMTP for e-mail, else .eml files in EMAIL_OUTBOX; Peppol documents into PEPPOL_OUTBOX.
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/[^\s]+$/, "must be smtp://user:pass@host:587 or smtps://…")
      .optional(),
    SMTP_FROM: z.string().email("must be an e-mail address").optional(),
    PEPPOL_OUTBOX: z.string().min(1).default("./data/outbox/peppol"),
    EMAIL_OUTBOX: z.string().min(1).default("./data/outbox/email"),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production" && !env.DEMO_MODE) {
      if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ["SESSION_SECRET"],
          message: "must be set to a random string of at least 32 characters in production",
        });
      }
    }
  });

export type Env = Omit<z.infer<typeof EnvSchema>, "SESSION_SECRET" | "COOKIE_SECURE"> & {
  SESSION_SECRET: string;
  COOKIE_SECURE: boolean;
};

let cached: Env | null = null;

export function env(): Env {
  if (cached) return cached;
  const parsed = EnvSchema.safeParse(process.env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${lines}`);
  }
  const e = parsed.data;
  const secure =
    e.COOKIE_SECURE !== undefined
      ? e.COOKIE_SECURE === "1" || e.COOKIE_SECURE === "true"
      : e.NODE_ENV === "production" && !e.DEMO_MODE;
  cached = {
    ...e,
    // Outside production a per-process secret is fine: sessions simply do not survive a restart.
    SESSION_SECRET: e.SESSION_SECRET ?? `dev-${process.pid}-${Date.now()}-not-for-production`,
    COOKIE_SECURE: secure,
  };
  return cached;
}
