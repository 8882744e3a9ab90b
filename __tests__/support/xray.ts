/**
 * A stand-in X-Ray daemon for tracing tests: a UDP socket on 127.0.0.1 that collects the documents
 * the X-Ray SDK sends, so segments and subsegments can be asserted without a real daemon.
 */
import { createSocket } from "node:dgram";
import type { AddressInfo } from "node:net";

export interface FakeXRayDaemon {
  /** `127.0.0.1:<port>`, the value for `AWS_XRAY_DAEMON_ADDRESS`. */
  readonly address: string;
  close(): Promise<void>;
}

/** Listens until `close()`, pushing every received segment document into `received`. */
export async function startFakeXRayDaemon<D>(received: D[]): Promise<FakeXRayDaemon> {
  const socket = createSocket("udp4");
  socket.on("message", (message) => {
    // Each datagram: a `{"format":"json","version":1}` header line, then one segment document.
    const [, body] = message.toString("utf8").split("\n", 2);
    if (body) received.push(JSON.parse(body) as D);
  });
  await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", resolve));
  return {
    address: `127.0.0.1:${(socket.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
