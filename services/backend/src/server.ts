/**
 * Entry point of the container: reads the environment, starts the HTTP server, and shuts down
 * gracefully on SIGTERM (ECS stopping the task) or SIGINT (Ctrl-C locally).
 *
 * Exit codes: 0 after a clean shutdown (every in-flight request finished); 1 when the configuration
 * is invalid, the port cannot be bound, the shutdown timed out with requests still running, a second
 * signal forced an early exit, or an error escaped every handler.
 *
 * Runs as PID 1 in the container: Node installs no default handlers there, so both signals are
 * handled explicitly here.
 */
import { createServer } from "./app";
import { ConfigError, loadConfig, type Config } from "./config";
import { createDynamoItemStore } from "./item-store";
import { createLogger } from "./logger";
import { createXRayTracer } from "./tracing";

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // Log as JSON like everything else, so the reason shows up in CloudWatch next to the exit.
    createLogger().error("invalid configuration", { problems: error.problems });
    process.exit(1);
  }

  const log = createLogger({ level: config.logLevel });
  process.on("uncaughtException", (error) => {
    log.error("uncaught exception", { error });
    process.exit(1);
  });
  process.on("unhandledRejection", (reason) => {
    log.error("unhandled promise rejection", { error: reason });
    process.exit(1);
  });

  const tracer = config.xrayDaemonAddress === undefined ? undefined : createXRayTracer({ serviceName: "backend", log });
  const store = createDynamoItemStore({
    tableName: config.tableName,
    region: config.region,
    ...(config.scanPageSize !== undefined && { scanPageSize: config.scanPageSize }),
    ...(tracer && { instrument: (client) => tracer.captureClient(client) }),
  });
  const app = createServer({ store, log, maxItems: config.maxItems, ...(tracer && { tracer }) });

  let stopping = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) {
      log.warn("second signal during shutdown: exiting now", { signal, inFlight: app.inFlight() });
      process.exit(1);
    }
    stopping = true;
    log.info("shutdown started", { signal, inFlight: app.inFlight(), timeoutMs: config.shutdownTimeoutMs });
    void app.shutdown(config.shutdownTimeoutMs).then((result) => {
      store.destroy();
      const level = result.drained ? "info" : "warn";
      log[level]("shutdown complete", { ...result });
      process.exit(result.drained ? 0 : 1);
    });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  const port = await app.listen(config.port);
  log.info("listening", {
    port,
    tableName: config.tableName,
    region: config.region,
    maxItems: config.maxItems,
    tracing: tracer !== undefined,
    nodeVersion: process.version,
  });
}

main().catch((error: unknown) => {
  // EADDRINUSE and the like: nothing to serve, so say why and stop.
  createLogger().error("startup failed", { error });
  process.exit(1);
});
