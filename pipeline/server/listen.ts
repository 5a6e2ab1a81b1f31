import type { Services } from "../services.ts";
import { buildServer } from "./app.ts";

/** Starts the HTTP server on the configured address; resolves to a function that closes it. */
export async function startHttp(services: Services): Promise<() => Promise<void>> {
  const app = await buildServer(services);
  const { host, port } = services.config.http;
  const address = await app.listen({ host, port });
  services.logger.info({ address }, "HTTP server listening");
  return async () => {
    await app.close();
  };
}
