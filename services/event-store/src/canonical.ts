/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers in their
 * shortest round-trip form (as JSON.stringify writes them), `undefined` members left out.
 * The same value always gives the same bytes, whatever key order it was built or stored in
 * (PostgreSQL's jsonb reorders keys), so a hash over it survives the trip through the database.
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      if (value.includes('\u0000')) throw new TypeError('Strings may not contain the NUL character');
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`Not a JSON number: ${value}`);
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) throw new TypeError('Only plain objects are JSON');
      const members = Object.keys(value)
        .filter((key) => (value as Record<string, unknown>)[key] !== undefined)
        .sort()
        .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`Not a JSON value: ${typeof value}`);
  }
}
