// RFC 3339 UTC time. Pure: the clock is always passed in.
export type Clock = () => Date;

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Unix seconds (as git prints %ct) to RFC 3339 UTC. */
export function fromUnixSeconds(sec: number): string {
  return rfc3339(new Date(sec * 1000));
}
