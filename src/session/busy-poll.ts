/*
 * Busy polling after traffic. In a VM whose idle vCPUs halt (Firecracker, most clouds), a process that
 * blocks in epoll_wait pays a wake-up of tens of microseconds per packet; CMPP's request/response
 * ping-pong then runs at a third of its speed (measured here: 180 µs loopback round trip blocking, 40–50 µs
 * polling). While traffic flows, keep the event loop turning with setImmediate, which makes libuv poll
 * without blocking; stop `windowMs` after the last packet, so an idle process costs nothing.
 *
 * Off by default: under load a thread with light work per packet (the simulator) spins all the time and
 * takes CPU the other threads need (on 2 cores: bench:http 3,600 → 4,000–4,800 msgs/s with it off;
 * bench:session window 16: 84k → 107k SUBMITs/s). It pays only for one request in flight at a time
 * (window 1: p50 round trip 39 → 25 µs on loopback here).
 */

let windowMs = 0;
let until = 0;
let running = false;

function spin(): void {
  if (performance.now() < until) setImmediate(spin);
  else running = false;
}

/** Called on every packet in or out: keep polling for the configured window from now. */
export function pollAfterTraffic(): void {
  if (windowMs <= 0) return;
  until = performance.now() + windowMs;
  if (!running) {
    running = true;
    setImmediate(spin);
  }
}

/** Sets the polling window for this process (0 turns busy polling off). */
export function setBusyPollWindow(ms: number): void {
  windowMs = Math.max(0, ms);
}
