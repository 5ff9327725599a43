/**
 * Lanes of the delivery engine for a store whose claim waits for the database server's
 * disk (PostgreSQL: a synchronous commit, ~3 ms on this machine, against well under a
 * millisecond for the SMTP exchange with a local relay). Each lane claims a row, then
 * sends it; with as many lanes as connections, every connection sat idle through its
 * lane's next claim. With twice as many, one lane's claim commits while another lane's
 * message is on the wire; the transport's pool still carries at most `connections`
 * messages at once (the other lanes wait for a free connection).
 *
 * The price, and why it is still exactly-once: a lane waiting for a connection holds a
 * claimed row (`sending`), so a process killed then leaves up to twice `connections` rows
 * ambiguous instead of `connections`. They are reported as ambiguous, never resent without
 * the operator's word (`tidings deliveries resolve`), so no reader gets a second copy;
 * the claim itself stays durable before its SMTP call.
 */
export function claimAheadLanes(connections: number): number {
  return Math.max(1, connections) * 2;
}
