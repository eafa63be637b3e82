// Load at a fixed arrival rate (open loop), in a child process (bench/load.ts): request i is due at start + i / rate whatever
// happened to the earlier ones, and its latency is counted from when it was due, not from when a connection was
// free to send it. A closed loop (autocannon's connections, even with overallRate) waits for a reply before the next
// request, so a stalled server is offered less work and its queueing never shows in the percentiles (coordinated
// omission). Keep-alive sockets are reused; a new one opens whenever every open one is busy.
import http from 'node:http';

export interface ArrivalRequest {
  url: string;
  paths: string[];
  headers: Record<string, string>;
  /** Requests started per second. */
  rate: number;
  seconds: number;
  /** Sockets at most; a request due when all are busy waits for one, and the wait counts in its latency. */
  maxSockets: number;
}

export interface ArrivalResult {
  /** Requests due in the run (rate × seconds). */
  offered: number;
  ok: number;
  non2xx: number;
  errors: number;
  /** Milliseconds from when each 2xx request was due to its last byte. */
  latencies: Float64Array;
  /** How late, at most, the generator itself started a request (its own lag: large means the figures are suspect). */
  maxStartLagMs: number;
  /** Seconds from the first request due to the last reply. */
  seconds: number;
}

function run(req: ArrivalRequest): Promise<ArrivalResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: req.maxSockets });
  const base = new URL(req.url);
  const offered = Math.round(req.rate * req.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let done = 0;
  let next = 0;
  let maxStartLagMs = 0;
  const t0 = performance.now() + 20;
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      resolve({
        offered,
        ok,
        non2xx,
        errors,
        latencies: Float64Array.from(latencies),
        maxStartLagMs,
        seconds: (performance.now() - t0) / 1000,
      });
    };
    const settle = () => {
      if (++done === offered) finish();
    };
    const fire = (i: number) => {
      const due = t0 + (i * 1000) / req.rate;
      maxStartLagMs = Math.max(maxStartLagMs, performance.now() - due);
      const path = req.paths[i % req.paths.length] as string;
      let settled = false;
      const failed = () => {
        if (settled) return;
        settled = true;
        errors++;
        settle();
      };
      const r = http.get({ host: base.hostname, port: base.port, path, headers: req.headers, agent }, (res) => {
        res.on('data', () => {});
        res.on('error', failed);
        res.on('end', () => {
          if (settled) return;
          settled = true;
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) {
            ok++;
            latencies.push(performance.now() - due);
          } else non2xx++;
          settle();
        });
      });
      r.setTimeout(30_000, () => r.destroy(new Error('no answer in 30 s')));
      r.on('error', failed);
    };
    // Every millisecond or so, start every request now due.
    const tick = () => {
      const now = performance.now();
      while (next < offered && t0 + (next * 1000) / req.rate <= now) fire(next++);
      if (next < offered) setTimeout(tick, Math.max(0, Math.min(1, t0 + (next * 1000) / req.rate - now)));
    };
    setTimeout(tick, 20);
  });
}

process.once('message', async (req: ArrivalRequest) => {
  const result = await run(req);
  process.send?.(result, () => process.exit(0));
});
