import { describeProgress } from './progress-bar.js';

describe('describeProgress', () => {
  it('shows events done of the total, the rate and the time left', () => {
    const line = describeProgress({
      events: 250_000,
      folded: '250000',
      applied: '249000',
      target: '1000000',
      elapsedMs: 2_500,
      caughtUp: false,
    });
    expect(line).toBe(
      '[########......................]   25%  250,000/1,000,000 events  100,000 events/s  ETA 8 s',
    );
  });

  it('says done once caught up, and copes with an empty store', () => {
    const line = describeProgress({
      events: 0,
      folded: '0',
      applied: '0',
      target: '0',
      elapsedMs: 0,
      caughtUp: true,
    });
    expect(line).toBe('[##############################]  100%  0/0 events  0 events/s  done');
  });
});
