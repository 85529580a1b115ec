/**
 * The URL hash as a list of `key=value` pairs separated by `&`. Each figure owns the keys under its namespace
 * (`race.lr`, `race.m`, …); every other key (live code's `code-…`, another figure's) is kept as it is.
 */

/** The pairs of a hash (`#a=1&b=2` or `a=1&b=2`), in order; a part without `=` has the value ''. */
export function parseHash(hash: string): [string, string][] {
  const s = hash.startsWith('#') ? hash.slice(1) : hash;
  if (s === '') return [];
  const out: [string, string][] = [];
  for (const part of s.split('&')) {
    if (part === '') continue;
    const i = part.indexOf('=');
    const rawKey = i < 0 ? part : part.slice(0, i);
    const rawValue = i < 0 ? '' : part.slice(i + 1);
    out.push([safeDecode(rawKey), safeDecode(rawValue)]);
  }
  return out;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}

const enc = (s: string) => encodeURIComponent(s).replace(/%2C/gi, ',');

/**
 * The keys of namespace `ns` in a hash, without the `ns.` prefix (the last occurrence wins). The record has no
 * prototype, so keys such as `__proto__` or `constructor` are plain keys, never Object.prototype's members.
 */
export function readNamespace(hash: string, ns: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  const prefix = ns + '.';
  for (const [k, v] of parseHash(hash)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  return out;
}

/**
 * writeNamespace(hash, ns, values) = the hash with every `ns.*` key replaced by `values` (in their order, where the
 * namespace's first key was, else at the end); every other part is kept byte for byte. Returns '' or '#…'.
 */
export function writeNamespace(hash: string, ns: string, values: Record<string, string>): string {
  const prefix = ns + '.';
  const s = hash.startsWith('#') ? hash.slice(1) : hash;
  const mine = Object.entries(values).map(([k, v]) => `${enc(prefix + k)}=${enc(v)}`);
  const parts: string[] = [];
  let placed = false;
  for (const raw of s === '' ? [] : s.split('&')) {
    if (raw === '') continue;
    const i = raw.indexOf('=');
    if (safeDecode(i < 0 ? raw : raw.slice(0, i)).startsWith(prefix)) {
      if (!placed) parts.push(...mine);
      placed = true;
    } else parts.push(raw);
  }
  if (!placed) parts.push(...mine);
  return parts.length ? '#' + parts.join('&') : '';
}
