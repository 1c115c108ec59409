/** The process's one Projector (apps/projector/src/projector.ts), for the query service and health. */
export const PROJECTOR = Symbol('Projector');
