/**
 * Pages whose typed numbers have not all been registered as claims yet. The browser claims test skips
 * the "every typed number is a claim" check on these (it still checks that their registered quotes are
 * on the page). Take a page off this list once every number it types is a claim or is computed.
 * When this list is empty, every number on the site is computed or checked.
 */
export const PENDING_PAGES: readonly string[] = [
  "/answers"
];
