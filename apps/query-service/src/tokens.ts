export const DOCUMENT_STORE = Symbol('DocumentStore');
export const READ_MODEL_PROGRESS = Symbol('ReadModelProgress');

/** How far the read models have got: the projector, seen from the query side (R35). */
export interface ReadModelProgress {
  /** True as soon as the read models have applied every event up to `position`. */
  waitFor(position: string, timeoutMs: number): Promise<boolean>;
}
