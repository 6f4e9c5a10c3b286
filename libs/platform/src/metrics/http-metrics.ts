import type { FastifyInstance } from 'fastify';
import type { Metrics } from './metrics';

/** Times every HTTP request by its route pattern (`/v1/filings/:id`), so label values stay bounded. */
export function instrumentHttp(fastify: FastifyInstance, metrics: Metrics): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    done();
  });
}
