import { db } from "../../../db/client";
import { listAudit } from "../../../db/audit";
import { auditActionLabel } from "~/lib/i18n";
import { authorize } from "../../../billing/policy";
import type { Scope } from "../../../db/scope";

/** The audit log, newest first; a search also finds the actions whose Swedish words contain it ("ändrade medlem"). */
export function readAudit(scope: Scope, filter: { q?: string; entity?: string; limit: number; offset: number }) {
  authorize(scope, "audit.read");
  const needle = filter.q?.trim().toLocaleLowerCase("sv-SE");
  const actions = needle
    ? Object.entries(auditActionLabel)
        .filter(([, label]) => label.toLocaleLowerCase("sv-SE").includes(needle))
        .map(([code]) => code)
    : [];
  return listAudit(db(), { ...filter, actions });
}
