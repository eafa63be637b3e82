// The screening instruments Handover ships with. Councils add their own as JSON or YAML files in SCREENING_DIR.
import type { InstrumentDefinition } from '../domain/screening/definition.ts';
import { childExploitation } from './child-exploitation.ts';

export const BUILT_IN_INSTRUMENTS: readonly InstrumentDefinition[] = [childExploitation];
