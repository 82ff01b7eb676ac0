import type { Link } from '../session/index.js';

const mutable = new WeakSet<Link>();

/**
 * The session layer answers ACTIVE_TEST inside Link (link.ts, onFrame) and never asks the server, so the
 * "ignore ACTIVE_TEST" fault shadows the link's respond() to drop that one answer while `muted()` is true.
 * Installed once per link, and only when the fault is first wanted, so that other links keep Link's own
 * method. A Link/CmppServer option deciding whether to answer a peer's ACTIVE_TEST would replace this.
 */
export function muteActiveTests(link: Link, muted: () => boolean, onIgnored: () => void): void {
  if (mutable.has(link)) return;
  mutable.add(link);
  const respond = link.respond.bind(link);
  link.respond = (request, fields) => {
    if (request.command === 'CMPP_ACTIVE_TEST' && muted()) onIgnored();
    else respond(request, fields);
  };
}
