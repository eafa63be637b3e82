// The protocols Handover ships with. Councils add their own as JSON or YAML files in PROTOCOLS_DIR.
import type { ProtocolDefinition } from '../domain/protocol/definition.ts';
import { cumbriaAdviceQuery } from './cumbria-advice-query.ts';
import { cumbriaAdviceQueryV2 } from './cumbria-advice-query-v2.ts';
import { devonTransitions } from './devon-transitions-16-17.ts';
import { kentTeamTransfer } from './kent-team-transfer.ts';

export const BUILT_IN_PROTOCOLS: readonly ProtocolDefinition[] = [
  cumbriaAdviceQuery,
  cumbriaAdviceQueryV2,
  devonTransitions,
  kentTeamTransfer,
];
