// Pieces every benchmark shares: a free port for its private PostgreSQL, the median of its rounds, and the line it
// gives the runner's table.
import net from 'node:net';

/** One line of the bench table (bench/run.ts). */
export interface BenchRow {
  id: string;
  benchmark: string;
  measured: string;
  floor: string;
  ratio: string;
  target: string;
  pass: boolean;
  absolute: string;
}

/** A port nothing listens on, on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};
