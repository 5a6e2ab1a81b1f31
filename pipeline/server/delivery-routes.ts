import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { IsoDateSchema } from "../../schemas/extraction.ts";
import { DocumentStateSchema } from "../../schemas/document.ts";
import { ApprovalError } from "../approval.ts";
import type { Services } from "../services.ts";
import { requireApiKey } from "./auth.ts";
import { HttpError } from "./errors.ts";
import { API_PREFIX } from "./schemas.ts";

/**
 * Approval and delivery over the API: approve a document's tasks (as
 * extracted or corrected), read its approved tasks, list deliveries and
 * resend one. The review page uses the same operations.
 */
export const TaskEditSchema = z.object({
  id: z.string().optional().describe("The approved task's id, to change it rather than add one"),
  ref: z.string().max(100),
  text: z.string().min(1).max(20_000),
  assignees: z.array(z.string().min(1).max(500)).max(50),
  collaborators: z.array(z.string().min(1).max(500)).max(50),
  deadline: IsoDateSchema.nullable(),
});

export const ApproveBodySchema = z.object({
  tasks: z.array(TaskEditSchema).max(500).optional().describe("The tasks as approved; absent: as extracted (or as last approved)"),
  from: DocumentStateSchema.optional().describe("The state the reviewer saw; the approval fails with 409 if it changed"),
  by: z.string().min(1).max(200).optional(),
});

const DeliveryListQuery = z.object({
  status: z.enum(["pending", "delivered", "failed", "cancelled"]).optional(),
  documentId: z.string().optional(),
  since: z.string().datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export async function deliveryRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  app.addHook("onRequest", requireApiKey(services.config.http.apiKeys));

  app.post<{ Params: { id: string } }>(`${API_PREFIX}/documents/:id/approve`, async (request) => {
    const body = ApproveBodySchema.safeParse(request.body ?? {});
    if (!body.success) throw new HttpError(400, "invalid_body", body.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "), { issues: body.error.issues });
    try {
      const result = await services.approve({
        documentId: request.params.id,
        by: body.data.by ?? "api",
        ...(body.data.tasks ? { tasks: body.data.tasks.map((t) => ({ ...t, ...(t.id ? { id: t.id } : {}) })) } : {}),
        ...(body.data.from ? { from: body.data.from } : {}),
      });
      return { document: result.document, deliveries: result.deliveries.map((d) => ({ id: d.id })) };
    } catch (error) {
      if (error instanceof ApprovalError) {
        const status = error.code === "not_found" ? 404 : 409;
        throw new HttpError(status, error.code, error.message);
      }
      throw error;
    }
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/documents/:id/tasks`, async (request) => {
    const document = await services.store.getDocument(request.params.id);
    if (!document) throw new HttpError(404, "not_found", `no document ${request.params.id}`);
    return { tasks: await services.store.outbox.tasks(document.id) };
  });

  app.get(`${API_PREFIX}/deliveries`, async (request) => {
    const query = DeliveryListQuery.safeParse(request.query ?? {});
    if (!query.success) throw new HttpError(400, "invalid_query", query.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    const { status, documentId, since, limit } = query.data;
    const items = await services.store.outbox.listDeliveries({
      ...(status ? { status } : {}),
      ...(documentId ? { documentId } : {}),
      ...(since ? { updatedSince: new Date(since).toISOString() } : {}),
      limit,
    });
    return { items };
  });

  app.get<{ Params: { id: string } }>(`${API_PREFIX}/deliveries/:id`, async (request) => {
    const delivery = await services.store.outbox.getDelivery(request.params.id);
    if (!delivery) throw new HttpError(404, "not_found", `no delivery ${request.params.id}`);
    return { delivery, attempts: await services.store.outbox.attempts(delivery.id) };
  });

  app.post<{ Params: { id: string } }>(`${API_PREFIX}/deliveries/:id/resend`, async (request, reply) => {
    const delivery = await services.store.outbox.getDelivery(request.params.id);
    if (!delivery) throw new HttpError(404, "not_found", `no delivery ${request.params.id}`);
    if (!(await services.replayDelivery(delivery.id))) throw new HttpError(409, "not_replayable", `delivery ${delivery.id} is ${delivery.status}: only failed or delivered deliveries are sent again`);
    return reply.code(202).send({ id: delivery.id, status: "pending" });
  });
}
