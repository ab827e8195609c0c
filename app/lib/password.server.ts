import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from "node:crypto";

/*
 * scrypt from node:crypto, parameters stored with each hash so they can be raised later without breaking
 * existing passwords: "scrypt$N$r$p$salt$hash" (salt and hash base64).
 */
// OWASP's Password Storage Cheat Sheet lists equally strong scrypt settings that trade memory for passes (N=2^17
// p=1 … N=2^13 p=10, r=8). The one with the least memory per login is chosen: 8 MiB instead of 128 MiB, so that
// concurrent logins cannot run the server out of memory, and it was also the fastest of them here
// (docs/decisions/010-login-throttling-and-password-hashing.md). Hashes made with older settings are redone at the
// next successful login (needsRehash).
const N = 8192;
const R = 8;
const P = 10;
const KEYLEN = 32;

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(password.normalize("NFKC"), salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r: R, p: P, maxmem: 64 * 1024 * 1024 });
  return `scrypt$${N}$${R}$${P}$${salt.toString("base64")}$${key.toString("base64")}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return false;
  const [, n, r, p, saltB64, keyB64] = parts;
  const expected = Buffer.from(keyB64, "base64");
  const key = await scrypt(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: 64 * 1024 * 1024,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Whether a stored hash was made with other settings than the current ones (it is replaced after a login). */
export function needsRehash(stored: string): boolean {
  const parts = stored.split("$");
  return (
    parts.length !== 6 ||
    parts[0] !== "scrypt" ||
    Number(parts[1]) !== N ||
    Number(parts[2]) !== R ||
    Number(parts[3]) !== P
  );
}

/** A hash to compare against when the e-mail is unknown, so that timing does not reveal which e-mails exist. */
let dummyHash: Promise<string> | null = null;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(16).toString("hex"));
  return dummyHash;
}
