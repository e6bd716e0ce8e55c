/**
 * Choosing a view changes the page's address (as-of-url.ts); the layout then sets the `asOf`
 * store from it. The address is replaced, not pushed, and focus and scrolling stay where they are,
 * as for any control that filters the page in place.
 */
import { goto } from '$app/navigation';
import { page } from '$app/state';
import type { AsOfSetting } from './as-of';
import { urlWithAsOf } from './as-of-url';

/** Shows the current page as of `setting` (the present: the parameter goes). */
export async function showAsOf(setting: AsOfSetting): Promise<void> {
  const next = urlWithAsOf(page.url, setting);
  if (next.href === page.url.href) return;
  await goto(next, { replaceState: true, keepFocus: true, noScroll: true });
}
