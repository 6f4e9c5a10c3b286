import path from 'node:path';
import httpProxy from '@fastify/http-proxy';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance } from 'fastify';
import { API_ROUTES, type Upstream } from './routes';

export interface HostOptions {
  /** The built console (dist/apps/web). */
  readonly root: string;
  readonly upstreams: Readonly<Record<Upstream, string>>;
  readonly logger?: boolean;
}

/**
 * The console's one origin: the built single-page app plus the API paths routed to the services, so the
 * browser needs no CORS. Unknown non-API paths fall back to index.html (client-side routes).
 */
export async function createHost(options: HostOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false });
  // One proxy for /v1: the upstream is chosen per request from the route table. (Several prefix-bound
  // proxies would miss `/v1/filings:validate` and `/v1/enterprises:import`, which continue with a colon.)
  await app.register(httpProxy, {
    // No fixed upstream: reply-from then keeps a client per origin and getUpstream picks one per request.
    upstream: '',
    prefix: '/v1',
    rewritePrefix: '/v1',
    http2: false,
    preHandler: async (request, reply) => {
      if (!upstreamOf(request.url)) await reply.code(404).type('application/problem+json').send(notFound(request.url));
    },
    replyOptions: {
      getUpstream: (request) => options.upstreams[upstreamOf(request.url) ?? 'intake'],
    },
  });
  await app.register(fastifyStatic, {
    root: path.resolve(options.root),
    wildcard: false,
    index: ['index.html'],
    setHeaders: (response, file) => {
      // Hashed assets never change; index.html must always be fresh.
      response.header(
        'cache-control',
        file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  app.get('/health', async () => ({ status: 'ok' }));
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/v1/') || request.url.startsWith('/assets/')) {
      return reply.code(404).type('application/problem+json').send(notFound(request.url));
    }
    return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
  });
  return app;
}

function upstreamOf(url: string): Upstream | undefined {
  return API_ROUTES.find(
    (route) =>
      url === route.prefix ||
      (/^[/:?]/.test(url.slice(route.prefix.length, route.prefix.length + 1)) && url.startsWith(route.prefix)),
  )?.upstream;
}

function notFound(url: string) {
  return {
    type: 'about:blank',
    title: 'Not Found',
    status: 404,
    code: 'NOT_FOUND',
    detail: url,
    messageZh: '没有这个地址',
    messageEn: 'No such path',
  };
}
