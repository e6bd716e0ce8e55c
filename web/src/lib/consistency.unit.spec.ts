import { describe, expect, it } from 'vitest';
import { CONSISTENCY_HEADER, type PositionStore, writtenPosition } from './consistency';

const memory = (initial: string | null = null): PositionStore & { value: string | null } => {
  const store = {
    value: initial,
    get: () => store.value,
    set: (value: string) => {
      store.value = value;
    },
  };
  return store;
};

describe('the position a tab has written up to', () => {
  it('sends no header until an answer reports a write', () => {
    const written = writtenPosition(memory());
    expect(written.headers()).toEqual({});
    written.note({});
    written.note(undefined);
    expect(written.headers()).toEqual({});
  });

  it('keeps the highest position reported, in the header and in the tab’s storage', () => {
    const store = memory();
    const written = writtenPosition(store);
    written.note({ logPosition: 41 });
    written.note({ logPosition: 17 });
    expect(written.position).toBe(41);
    expect(written.headers()).toEqual({ [CONSISTENCY_HEADER]: '41' });
    expect(store.value).toBe('41');
    // A new page of the same tab starts from it.
    expect(writtenPosition(store).headers()).toEqual({ [CONSISTENCY_HEADER]: '41' });
  });

  it('ignores what is not a position', () => {
    const written = writtenPosition(memory('garbage'));
    for (const bad of ['42', -3, 1.5, Number.NaN]) written.note({ logPosition: bad });
    expect(written.position).toBe(0);
  });
});
