// Every module whose owned items carry deadlines registers its timer handler here, so `handover serve` and
// `handover worker` both know what each deadline row does. One line per module.
import type { Services } from '../../services.ts';
import { registerProtocolTimers } from '../protocols/timers.ts';

export function registerAllTimers(services: Services): () => void {
  const unregister = [registerProtocolTimers(services.protocols)];
  return () => {
    for (const off of unregister) off();
  };
}
