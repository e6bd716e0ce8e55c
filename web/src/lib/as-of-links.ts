/**
 * Links inside the page content carry the view in their address, as the header's links do: a
 * person in a table, a station card, a record's link. Opened in a new tab, copied or bookmarked,
 * such a link shows what the page showed (the in-app click is kept by the layout's navigation guard
 * either way).
 *
 * The pages write their links as plain paths; this keeps `?asOf=…` on every one of them under a
 * root, as the page draws them and as the view changes. The address the page wrote is remembered
 * (`data-href-base`), so a later view, or the present, is applied to it and not to the last address
 * written here. A link that names its own view keeps it.
 */
import type { AsOfSetting } from './as-of';
import { hrefWithAsOf } from './as-of-url';

const BASE = 'data-href-base';
const KEPT = 'data-href-kept';

/**
 * Keeps `view` in the `href` of every in-app link under `root` whose page reads it (`reads`), until
 * the returned function is called (then a new call applies the next view).
 */
export function keepViewInLinks(root: HTMLElement, view: AsOfSetting, reads: (pathname: string) => boolean): () => void {
  function apply(anchor: HTMLAnchorElement) {
    const href = anchor.getAttribute('href');
    if (href === null) return;
    // The page wrote a new address since this last kept one: that is the link's own address now.
    const base = href === anchor.getAttribute(KEPT) ? (anchor.getAttribute(BASE) ?? href) : href;
    const pathname = base.startsWith('/') && !base.startsWith('//') ? new URL(base, 'http://x').pathname : null;
    const next = pathname === null ? base : hrefWithAsOf(base, view, reads(pathname));
    if (next === base) {
      anchor.removeAttribute(BASE);
      anchor.removeAttribute(KEPT);
    } else {
      anchor.setAttribute(BASE, base);
      anchor.setAttribute(KEPT, next);
    }
    if (href !== next) anchor.setAttribute('href', next);
  }

  const applyUnder = (node: Node) => {
    if (!(node instanceof Element)) return;
    if (node instanceof HTMLAnchorElement) apply(node);
    for (const anchor of node.querySelectorAll<HTMLAnchorElement>('a[href]')) apply(anchor);
  };

  const observer = new MutationObserver((mutations) => {
    for (const mutation of mutations) {
      if (mutation.type === 'attributes' && mutation.target instanceof HTMLAnchorElement) apply(mutation.target);
      else for (const node of mutation.addedNodes) applyUnder(node);
    }
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ['href'] });
  applyUnder(root);

  return () => observer.disconnect();
}
