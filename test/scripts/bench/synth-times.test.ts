import { median, medianRatio, timedProcess } from '../../../scripts/bench/synth-times';

describe('synthesis-time helpers', () => {
  test('median of an odd and of an even number of values', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 10])).toBe(3.5);
  });

  test('medianRatio pairs repeat i of one app with repeat i of the other', () => {
    const t = (wallMs: number, synthMs: number) => ({ wallMs, synthMs });
    // Ratios per repeat: 2, 3, 10 (median 3); the ratio of medians would be 40/10 = 4.
    const secure = [t(20, 4), t(30, 6), t(40, 100)];
    const plain = [t(10, 2), t(10, 2), t(4, 10)];
    expect(medianRatio(secure, plain, 'wallMs')).toBe(3);
    expect(medianRatio(secure, plain, 'synthMs')).toBe(3);
  });

  test('a cdk synth-like process reports its construction and synthesis time within its wall time', () => {
    const times = timedProcess({ kind: 'plain', functions: 1, stacks: 1, distinctCode: false });
    expect(times.synthMs).toBeGreaterThan(0);
    expect(times.synthMs).toBeLessThan(times.wallMs);
  }, 120_000);
});
