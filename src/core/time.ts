// RFC 3339 UTC time. Pure: the clock is always passed in.
export type Clock = () => Date;

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;
export function isRfc3339Utc(s: unknown): s is string {
  return typeof s === 'string' && RFC3339_RE.test(s) && !Number.isNaN(Date.parse(s));
}

/** Unix seconds (as git prints %ct) to RFC 3339 UTC. */
export function fromUnixSeconds(sec: number): string {
  return rfc3339(new Date(sec * 1000));
}
