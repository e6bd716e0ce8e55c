import { describe, expect, it } from 'vitest';
import { isStudyVisit } from '../../src/station/study.ts';

describe('a study visit (学习簿)', () => {
  it('is a station visit whose summary says the deputy studied', () => {
    expect(isStudyVisit({ act: 'station-visit', summary: '参加代表进站集中学习' })).toBe(true);
    expect(isStudyVisit({ act: 'station-visit', summary: '学习《代表法》' })).toBe(true);
  });

  it('is not a station visit about anything else', () => {
    expect(isStudyVisit({ act: 'station-visit', summary: '接待选民，收集意见' })).toBe(false);
  });

  it('is never another kind of act, whatever its summary says', () => {
    expect(isStudyVisit({ act: 'home-visit', summary: '组织选民学习政策' })).toBe(false);
    expect(isStudyVisit({ act: 'training', summary: '学习' })).toBe(false);
  });

  it('is not a record without a summary', () => {
    expect(isStudyVisit({ act: 'station-visit' })).toBe(false);
    expect(isStudyVisit({ act: 'station-visit', summary: null })).toBe(false);
  });
});
