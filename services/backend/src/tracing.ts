/**
 * X-Ray tracing of the backend (AWS X-Ray SDK for Node.js): every incoming request becomes a segment
 * and every DynamoDB call made while handling it a subsegment of that segment.
 *
 * The ALB adds `X-Amzn-Trace-Id: Root=...` to each request; the segment continues that trace id (and
 * the `Parent` and `Sampled` fields when a caller sent them), so a trace found from an ALB log line,
 * or from the service's own `requestId` log field (the same header), shows the request's work here.
 *
 * Segments go over UDP to the X-Ray daemon at `AWS_XRAY_DAEMON_ADDRESS` (the task's sidecar, read by
 * the SDK itself); sending never blocks or fails a request. Sampling uses the SDK's local rules
 * (the first request each second, then 5%), unless the caller already decided (`Sampled=0|1`):
 * centralized rules would need extra sampling permissions for the task role and a call to X-Ray.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import * as AWSXRay from "aws-xray-sdk-core";
import type { Logger } from "./logger";

/** What the server needs to trace: `createServer` works without one (tests, local runs). */
export interface RequestTracer {
  /** Runs `handle` inside a new segment for this request; the segment closes with the response. */
  trace(req: IncomingMessage, res: ServerResponse, handle: () => void): void;
  /** The client, with each call recorded as a subsegment of the segment of the request making it. */
  captureClient<T extends TraceableClient>(client: T): T;
}

/** An AWS SDK v3 client (what the X-Ray SDK can instrument). */
export type TraceableClient = Parameters<typeof AWSXRay.captureAWSv3Client>[0];

export interface XRayTracerOptions {
  /** Name of every segment: the node the X-Ray service map shows. */
  readonly serviceName: string;
  /** Receives the SDK's own warnings and errors (a bad trace header, an unsendable segment). */
  readonly log: Logger;
}

export function createXRayTracer(options: XRayTracerOptions): RequestTracer {
  const { log } = options;
  const ignore = (): void => undefined;
  AWSXRay.setLogger({
    debug: ignore,
    info: ignore,
    warn: (message: string) => log.warn("x-ray sdk", { detail: message }),
    error: (message: string) => log.error("x-ray sdk", { detail: message }),
  });
  // A DynamoDB call outside any request (none today) is simply not traced, never an exception.
  AWSXRay.setContextMissingStrategy("IGNORE_ERROR");
  AWSXRay.middleware.setDefaultName(options.serviceName);
  AWSXRay.middleware.disableCentralizedSampling();
  const namespace = AWSXRay.getNamespace();

  return {
    trace(req, res, handle) {
      const segment = AWSXRay.middleware.traceRequestResponseCycle(req, res);
      // Body and close events run in the request's context, so their work lands in its segment.
      namespace.bindEmitter(req);
      namespace.bindEmitter(res);
      namespace.run(() => {
        AWSXRay.setSegment(segment);
        handle();
      });
    },
    captureClient: (client) => AWSXRay.captureAWSv3Client(client),
  };
}
