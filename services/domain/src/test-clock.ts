/**
 * The day every in-process test's county stands on. Each package's vitest configuration names
 * this file in `setupFiles`, so no test reads the wall clock for "today" without saying so: a
 * test that needs another day sets it with `setClock(clockOn(day))` and restores it after.
 * (The end-to-end servers get the same day through YINGPAN_TODAY.)
 */
import { clockOn, setClock } from './kernel/clock.ts';

/** After the open demo term's planned end (2026-11-19): that term is still open on it. */
export const TEST_TODAY = '2026-12-04';

setClock(clockOn(TEST_TODAY));
