import { describe, expect, it } from 'vitest';
import { protectionOf } from './protection';

const postgres = (cluster: boolean, standbys: number, synchronousStandbys: number | null, commitsWaitForStandby: boolean) => ({
  engine: 'PostgreSQL',
  cluster,
  replication: { standbys, synchronousStandbys, commitsWaitForStandby },
});

describe('protectionOf', () => {
  it('calls a primary with a synchronous standby it waits for protected, cluster or not', () => {
    expect(protectionOf(postgres(true, 1, 1, true))).toBe('protected');
    expect(protectionOf(postgres(false, 2, 1, true))).toBe('protected');
  });

  it('raises the alarm for a cluster whose primary commits alone: standby gone, or connected but not waited for', () => {
    expect(protectionOf(postgres(true, 0, 0, false))).toBe('alone');
    expect(protectionOf(postgres(true, 1, 0, false))).toBe('alone');
    // Waiting for a standby that is not there: commits hang rather than stand alone, still not protected.
    expect(protectionOf(postgres(true, 0, 0, true))).toBe('alone');
  });

  it('tells one server from one with standbys that commits do not wait for', () => {
    expect(protectionOf(postgres(false, 0, 0, false))).toBe('single');
    expect(protectionOf(postgres(false, 1, 0, false))).toBe('async');
  });

  it('says so when the standbys cannot be seen, and names PGlite as embedded', () => {
    expect(protectionOf(postgres(true, 1, null, true))).toBe('unknown');
    expect(protectionOf({ engine: 'PostgreSQL', cluster: false, replication: null })).toBe('unknown');
    expect(protectionOf({ engine: 'PGlite', cluster: false, replication: null })).toBe('embedded');
  });
});
