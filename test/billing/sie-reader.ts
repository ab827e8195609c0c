import iconv from "iconv-lite";

/*
 * An independent SIE 4 reader for the tests: it reads what an accounting program reads (SIE 4B), so a file we
 * write is checked by something that did not write it. Written from the specification, not from billing/sie.ts.
 */
export interface ReadVoucher {
  series: string;
  number: string;
  date: string;
  text: string;
  transactions: Array<{ account: string; amountOre: bigint; text: string | null }>;
}

export interface ReadSie {
  flagga: string | null;
  program: string[] | null;
  format: string | null;
  gen: string | null;
  sietyp: string | null;
  fnamn: string | null;
  orgnr: string | null;
  accounts: Map<string, string>;
  vouchers: ReadVoucher[];
  /** What would make an accounting program refuse the file; empty when it imports. */
  errors: string[];
}

/** Splits a record into fields: blanks separate, "…" quotes (\" inside), {…} is one field. */
export function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (c === " " || c === "\t") {
      i++;
    } else if (c === '"') {
      let s = "";
      i++;
      while (i < line.length && line[i] !== '"') {
        if (line[i] === "\\" && line[i + 1] === '"') {
          s += '"';
          i += 2;
        } else s += line[i++];
      }
      if (i >= line.length) throw new Error(`unterminated quote: ${line}`);
      i++;
      out.push(s);
    } else if (c === "{") {
      const end = line.indexOf("}", i);
      if (end < 0) throw new Error(`unterminated object list: ${line}`);
      out.push(line.slice(i, end + 1));
      i = end + 1;
    } else {
      let s = "";
      while (i < line.length && line[i] !== " " && line[i] !== "\t") s += line[i++];
      out.push(s);
    }
  }
  return out;
}

/** "8000.00", "-212.5", "1063" → öre; anything else throws. */
function amountOre(text: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(text);
  if (!m) throw new Error(`not a SIE amount: ${text}`);
  const ore = BigInt(m[2]) * 100n + BigInt((m[3] ?? "").padEnd(2, "0") || "0");
  return m[1] ? -ore : ore;
}

export function readSie(bytes: Buffer): ReadSie {
  const text = iconv.decode(bytes, "cp437");
  const result: ReadSie = {
    flagga: null,
    program: null,
    format: null,
    gen: null,
    sietyp: null,
    fnamn: null,
    orgnr: null,
    accounts: new Map(),
    vouchers: [],
    errors: [],
  };
  const lines = text.split(/\r?\n/);
  let voucher: ReadVoucher | null = null;
  let inBlock = false;
  lines.forEach((raw, index) => {
    const line = raw.trim();
    const at = `line ${index + 1}`;
    if (line === "") return;
    if (/[\u0000-\u0008\u000b-\u001f]/.test(raw)) result.errors.push(`${at}: control character`);
    if (index === 0 && !line.startsWith("#FLAGGA")) result.errors.push("the file does not start with #FLAGGA");
    if (line === "{") {
      if (!voucher || inBlock) result.errors.push(`${at}: { without #VER`);
      inBlock = true;
      return;
    }
    if (line === "}") {
      if (!voucher || !inBlock) result.errors.push(`${at}: } without {`);
      else {
        const sum = voucher.transactions.reduce((s, t) => s + t.amountOre, 0n);
        if (sum !== 0n) result.errors.push(`${at}: voucher "${voucher.text}" does not balance (${sum} öre)`);
        result.vouchers.push(voucher);
      }
      voucher = null;
      inBlock = false;
      return;
    }
    let f: string[];
    try {
      f = fields(line);
    } catch (e) {
      result.errors.push(`${at}: ${(e as Error).message}`);
      return;
    }
    const [label, ...args] = f;
    switch (label) {
      case "#FLAGGA":
        result.flagga = args[0] ?? null;
        break;
      case "#PROGRAM":
        result.program = args;
        break;
      case "#FORMAT":
        result.format = args[0] ?? null;
        break;
      case "#GEN":
        result.gen = args[0] ?? null;
        break;
      case "#SIETYP":
        result.sietyp = args[0] ?? null;
        break;
      case "#FNAMN":
        result.fnamn = args[0] ?? null;
        break;
      case "#ORGNR":
        result.orgnr = args[0] ?? null;
        break;
      case "#KONTO":
        result.accounts.set(args[0], args[1] ?? "");
        break;
      case "#IB":
      case "#UB":
      case "#RES":
        result.errors.push(`${at}: ${label} is not allowed in a type 4I file`);
        break;
      case "#VER":
        if (voucher) result.errors.push(`${at}: #VER inside a voucher`);
        if (!/^\d{8}$/.test(args[2] ?? "")) result.errors.push(`${at}: voucher date ${args[2]}`);
        voucher = {
          series: args[0] ?? "",
          number: args[1] ?? "",
          date: args[2] ?? "",
          text: args[3] ?? "",
          transactions: [],
        };
        break;
      case "#TRANS":
        if (!voucher || !inBlock) {
          result.errors.push(`${at}: #TRANS outside a voucher`);
          break;
        }
        if (!/^\d+$/.test(args[0] ?? "") || !/^\{.*\}$/.test(args[1] ?? "")) result.errors.push(`${at}: #TRANS fields`);
        try {
          voucher.transactions.push({ account: args[0], amountOre: amountOre(args[2] ?? ""), text: args[4] ?? null });
        } catch (e) {
          result.errors.push(`${at}: ${(e as Error).message}`);
        }
        break;
      default:
        // Other records (#ADRESS, #KPTYP, #DIM, #RAR …) are allowed and not needed here.
        break;
    }
  });
  if (voucher) result.errors.push("the last voucher is not closed");
  if (result.flagga !== "0") result.errors.push(`#FLAGGA is ${result.flagga}, not 0`);
  if (result.format !== "PC8") result.errors.push("#FORMAT PC8 missing");
  if (result.sietyp !== "4") result.errors.push("#SIETYP 4 missing");
  if (!result.program || result.program.length < 2) result.errors.push("#PROGRAM missing");
  if (!result.gen || !/^\d{8}$/.test(result.gen)) result.errors.push("#GEN missing");
  if (!result.fnamn) result.errors.push("#FNAMN missing or empty");
  return result;
}
