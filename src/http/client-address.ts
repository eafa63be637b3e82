// The client address Fastify gives as request.ip (issue 9 finding 6). Fastify 5.12 treats a numeric trustProxy as
// "trust nothing", and `true` trusts every hop, which makes request.ip the left-most X-Forwarded-For value: the one
// the client writes itself. So a hop count becomes a trust function: the socket peer and the next hops-1 addresses
// (right to left) are our proxies; the address after them is the client. No header: the socket peer.

/** Fastify's `trustProxy` for `hops` reverse proxies in front of the app (false for none). */
export function trustProxyOption(hops: number): false | ((address: string, hop: number) => boolean) {
  if (hops <= 0) return false;
  return (_address, hop) => hop < hops;
}
