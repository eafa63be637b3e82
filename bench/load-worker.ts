// Runs one autocannon load slice in a child process (bench/load.ts), so generating load shares neither the event loop
// nor the memory of the server being measured, and sends back every 2xx latency (autocannon itself only reports
// percentiles, which cannot be merged across the interleaved slices of a run).
import autocannon from 'autocannon';

export interface SliceRequest {
  url: string;
  paths: string[];
  connections: number;
  seconds: number;
  headers: Record<string, string>;
}

export interface SliceResult {
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  /** Milliseconds, one per 2xx response. */
  latencies: Float64Array;
}

function run(req: SliceRequest): Promise<SliceResult> {
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: req.url,
        connections: req.connections,
        duration: req.seconds,
        headers: req.headers,
        requests: req.paths.map((path) => ({ method: 'GET' as const, path })),
      },
      (err, r) => {
        if (err) reject(err);
        else
          resolve({
            ok: r['2xx'],
            non2xx: r.non2xx,
            errors: r.errors,
            seconds: r.duration,
            latencies: Float64Array.from(latencies),
          });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
    });
  });
}

process.once('message', async (req: SliceRequest) => {
  const out = await run(req);
  process.send?.(out, () => process.exit(0));
});
