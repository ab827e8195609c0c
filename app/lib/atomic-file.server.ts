import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";

/**
 * Writes a file so that a reader polling the folder (an access point picking up Peppol documents, a person opening
 * an .eml) never sees half of it: the bytes go to a hidden temporary file in the same folder, are flushed to disk,
 * and the file is renamed into place (atomic within one file system); the folder is then flushed so the rename
 * itself survives a power cut. See docs/decisions/016-delivery-outbox-and-log.md.
 */
export async function writeFileAtomic(dir: string, name: string, data: string | Uint8Array): Promise<string> {
  if (name !== path.basename(name) || name.startsWith(".")) throw new RangeError(`Not a plain file name: ${name}`);
  await fs.mkdir(dir, { recursive: true });
  const target = path.join(dir, name);
  // A leading dot: access points and mail clients ignore hidden files, so the temporary file is never picked up.
  const temp = path.join(dir, `.${name}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  const file = await fs.open(temp, "wx", 0o640);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (error) {
    await file.close();
    await fs.rm(temp, { force: true });
    throw error;
  }
  await file.close();
  try {
    await fs.rename(temp, target);
  } catch (error) {
    await fs.rm(temp, { force: true });
    throw error;
  }
  const folder = await fs.open(dir, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
  return target;
}
