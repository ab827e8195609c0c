import { db } from "../../db/client";
import { listAudit } from "../../db/audit";

export function readAudit(filter: { q?: string; entity?: string; limit: number; offset: number }) {
  return listAudit(db(), filter);
}
