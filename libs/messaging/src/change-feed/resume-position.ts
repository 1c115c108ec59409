import { ApiError } from '#libs/http';
import { START, type Position } from '#libs/event-store';

const DECIMAL = /^(0|[1-9][0-9]{0,29})$/;

/**
 * Where a client resumes: the `Last-Event-ID` header an EventSource sends on reconnect, else
 * `?after=`, else the beginning. Both are exclusive positions (the last event already seen).
 */
export function resumePosition(lastEventId: unknown, after: unknown): Position {
  const given = typeof lastEventId === 'string' && lastEventId !== '' ? lastEventId : after;
  if (given === undefined || given === '') return START;
  if (typeof given !== 'string' || !DECIMAL.test(given)) {
    throw new ApiError(
      400,
      'INVALID_POSITION',
      'Last-Event-ID and ?after= take a position: the decimal `id` of the last event received.',
    );
  }
  return given;
}
