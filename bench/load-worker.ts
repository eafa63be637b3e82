// Runs one autocannon load slice in a worker thread, so generating load does not share the event loop of the
// server being measured, and sends back every 2xx latency (autocannon itself only reports percentiles, which
// cannot be merged across the interleaved slices of a run).
import { parentPort, workerData } from 'node:worker_threads';
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

const req = workerData as SliceRequest;
const latencies: number[] = [];
const instance = autocannon(
  {
    url: req.url,
    connections: req.connections,
    duration: req.seconds,
    headers: req.headers,
    requests: req.paths.map((path) => ({ method: 'GET' as const, path })),
  },
  (err, r) => {
    if (err) throw err;
    const out: SliceResult = {
      ok: r['2xx'],
      non2xx: r.non2xx,
      errors: r.errors,
      seconds: r.duration,
      latencies: Float64Array.from(latencies),
    };
    parentPort?.postMessage(out, [out.latencies.buffer as ArrayBuffer]);
  },
);
instance.on('response', (_client, statusCode, _bytes, responseTime) => {
  if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
});
