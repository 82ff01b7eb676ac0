import { describe, expect, it } from 'vitest';
import { deriveStatus, FINAL_STATES, isFinal, statToStatus } from '../../src/store/status.js';
import type { MessageStatus } from '../../src/store/types.js';

describe('statToStatus (report Stat → segment state)', () => {
  it.each([
    ['DELIVRD', 'delivered'],
    ['EXPIRED', 'expired'],
    ['UNDELIV', 'undeliverable'],
    ['DELETED', 'undeliverable'],
    ['REJECTD', 'undeliverable'],
    ['UNKNOWN', 'undeliverable'],
    ['MA:0054', 'undeliverable'],
    ['MK:0005', 'undeliverable'],
    ['MI:0013', 'undeliverable'],
    ['MN:0001', 'undeliverable'],
    ['DB:0008', 'undeliverable'],
    ['ID:0076', 'undeliverable'],
  ] as const)('%s → %s', (stat, status) => {
    expect(statToStatus(stat)).toBe(status);
  });

  it('ACCEPTD is intermediate: null (ignored)', () => {
    expect(statToStatus('ACCEPTD')).toBeNull();
  });
});

describe('isFinal', () => {
  const all: MessageStatus[] = [
    'queued',
    'submitting',
    'submitted',
    'delivered',
    'undeliverable',
    'expired',
    'rejected',
    'failed',
    'cancelled',
  ];

  it('in-progress states are never final; the final states always are', () => {
    for (const report of [true, false]) {
      expect(isFinal('queued', report)).toBe(false);
      expect(isFinal('submitting', report)).toBe(false);
      for (const s of ['delivered', 'undeliverable', 'expired', 'rejected', 'failed', 'cancelled'] as const) {
        expect(isFinal(s, report), `${s} report=${report}`).toBe(true);
      }
    }
  });

  it('submitted is final only when no report is awaited', () => {
    expect(isFinal('submitted', true)).toBe(false);
    expect(isFinal('submitted', false)).toBe(true);
  });

  it('FINAL_STATES is exactly the report-independent final set', () => {
    expect([...FINAL_STATES].sort()).toEqual(all.filter((s) => isFinal(s, true)).sort());
  });
});

describe('deriveStatus (message state from its segments)', () => {
  it.each<[MessageStatus[], boolean, MessageStatus]>([
    // all final: delivered only if every segment is, else the worst
    [['delivered'], true, 'delivered'],
    [['delivered', 'delivered', 'delivered'], true, 'delivered'],
    [['delivered', 'undeliverable', 'delivered'], true, 'undeliverable'],
    [['delivered', 'expired'], true, 'expired'],
    [['expired', 'undeliverable'], true, 'undeliverable'],
    [['undeliverable', 'rejected'], true, 'rejected'],
    [['rejected', 'failed', 'delivered'], true, 'failed'],
    [['cancelled', 'cancelled'], true, 'cancelled'],
    [['expired', 'expired'], true, 'expired'],
    [['rejected'], true, 'rejected'],
    // without report, submitted is final (and worse than delivered)
    [['submitted', 'submitted'], false, 'submitted'],
    [['submitted', 'delivered'], false, 'submitted'],
    [['submitted', 'rejected'], false, 'rejected'],
    [['submitted', 'expired'], false, 'expired'],
    // in progress: the least advanced state
    [['queued'], true, 'queued'],
    [['queued', 'queued'], false, 'queued'],
    [['queued', 'submitting'], true, 'submitting'],
    [['queued', 'submitted'], true, 'submitting'],
    [['queued', 'delivered'], true, 'submitting'],
    [['queued', 'rejected'], true, 'submitting'],
    [['submitting', 'submitted'], true, 'submitting'],
    [['submitting', 'delivered'], false, 'submitting'],
    [['submitting'], true, 'submitting'],
    [['submitted'], true, 'submitted'],
    [['submitted', 'delivered', 'delivered'], true, 'submitted'],
    [['submitted', 'undeliverable'], true, 'submitted'],
    [['submitted', 'expired'], true, 'submitted'],
  ])('%j report=%s → %s', (segments, report, expected) => {
    expect(deriveStatus(segments, report)).toBe(expected);
  });

  it('order of segments does not matter', () => {
    const segs: MessageStatus[] = ['delivered', 'expired', 'undeliverable', 'delivered'];
    for (let i = 0; i < segs.length; i++) {
      const rotated = [...segs.slice(i), ...segs.slice(0, i)];
      expect(deriveStatus(rotated, true)).toBe('undeliverable');
      expect(deriveStatus([...rotated].reverse(), true)).toBe('undeliverable');
    }
  });

  it('a final message state is always one of its segment states', () => {
    const finals: MessageStatus[] = [
      'delivered',
      'undeliverable',
      'expired',
      'rejected',
      'failed',
      'cancelled',
    ];
    for (const a of finals) {
      for (const b of finals) {
        const s = deriveStatus([a, b], true);
        expect([a, b]).toContain(s);
        expect(isFinal(s, true)).toBe(true);
      }
    }
  });
});
