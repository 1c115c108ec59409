import { descriptorOf } from './event-catalog.js';

/**
 * The part of an event's data that may leave the process (S2): only the fields its catalog
 * entry publishes, copied deeply so that no caller can mutate the stored event through it.
 */
export function publishableData(
  type: string,
  data: Record<string, unknown>,
): Record<string, unknown> {
  const { published } = descriptorOf(type);
  const out: Record<string, unknown> = {};
  for (const field of published) {
    if (Object.hasOwn(data, field)) out[field] = structuredClone(data[field]);
  }
  return out;
}
