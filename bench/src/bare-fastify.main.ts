import Fastify from 'fastify';
import { z } from 'zod';

/**
 * The raw HTTP limit: a bare Fastify server that parses the same filing body, checks its shape and
 * answers 202 — what intake would cost with no auth, database or Kafka. Run as its own process.
 */
const body = z.object({
  formId: z.string(),
  period: z.string(),
  values: z.record(z.string(), z.string().regex(/^-?\d+(\.\d+)?$/)),
});
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/v1/filings', async (request, reply) => {
  const parsed = body.safeParse(request.body);
  if (!parsed.success) return reply.status(422).send({ errors: parsed.error.issues.length });
  return reply.status(202).send({ filingId: '00000000-0000-4000-8000-000000000000', revision: 1, status: 'received' });
});
app.listen({ port: Number(process.argv[2] ?? 3900), host: '127.0.0.1' }).then(
  () => console.log('ready'),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
