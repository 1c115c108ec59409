import type { CommandMetadata } from './actor.js';

/** A command as the deciders see it: imperative type, payload, and who/when. */
export interface Command<Type extends string, Data> {
  type: Type;
  data: Data;
  metadata: CommandMetadata;
}
