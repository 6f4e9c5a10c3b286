import { z } from 'zod';
import { problemSchema, PROBLEM_MEDIA_TYPE } from './problem.http';
import type { ResponseSpec, RouteSpec, RouteTable } from './route';

type Json = Record<string, unknown>;

export interface OpenApiInfo {
  readonly title: string;
  readonly description: string;
  readonly version: string;
  /** Where the service answers, e.g. http://127.0.0.1:3001 */
  readonly serverUrl: string;
}

/** What each tag groups, shown by the viewer. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Sign-in sessions, API keys and tokens',
  accounts: 'People’s accounts of the console',
  audit: 'Who did what, when',
  forms: 'The Torch forms and their validation rules, as data',
  filings: 'Filing, amending, explaining and returning Torch reports',
  registry: 'The roster of enterprises (effective-dated) and its file import',
  aggregates: 'Exact figures per park, street, industry… and where they come from',
  rollups: 'Roll-up jobs',
  targets: 'Action-plan targets',
  compliance: 'Who filed, who is late or missing; reminder webhooks',
  exports: 'Torch XLSX, CSV and SDMX-CSV exports with manifests',
};

const PROBLEMS: Record<number, string> = {
  400: 'Bad request: malformed JSON, a wrong charset, invalid UTF-8, or a wrong path, query string or header (every field listed)',
  401: 'No valid bearer token (or API key)',
  403: 'Your role or scope does not allow this',
  404: 'Not found',
  409: 'Conflict',
  413: 'The body is too large',
  415: 'Unsupported media type (JSON in UTF-8 only, unless stated)',
  422: 'The request has errors; every one is listed with a JSON pointer and zh/en messages',
  429: 'Too many requests',
  500: 'Unexpected error (logged; no internals are shown)',
};

/**
 * An OpenAPI 3.1 document from a route table: request and response schemas from the same zod schemas the
 * service validates with (named schemas become components), the problem+json errors, security schemes.
 */
export function openApiDocument(info: OpenApiInfo, routes: RouteTable): Json {
  const schemas: Record<string, Json> = {};
  const convert = (schema: z.ZodType, io: 'input' | 'output'): Json => hoist(toJson(schema, io), schemas);
  const problem = convert(problemSchema, 'output');
  const paths: Record<string, Record<string, Json>> = {};
  for (const route of Object.values(routes)) {
    (paths[route.path] ??= {})[route.method] = operation(route, convert, problem);
  }
  const tags = [...new Set(Object.values(routes).flatMap((route) => route.tags))].map((name) => ({
    name,
    description: TAG_DESCRIPTIONS[name] ?? name,
  }));
  return {
    openapi: '3.1.0',
    info: {
      title: info.title,
      description: info.description,
      version: info.version,
      license: { name: 'Proprietary', identifier: 'LicenseRef-Huoju' },
    },
    servers: [{ url: info.serverUrl }],
    tags,
    paths,
    components: {
      schemas,
      securitySchemes: Object.fromEntries(
        Object.entries(SECURITY_SCHEMES).filter(([name]) =>
          Object.values(routes).some((route) => route.security.includes(name as 'bearer' | 'apiKey')),
        ),
      ),
    },
  };
}

const SECURITY_SCHEMES = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'A short-lived access token from POST /v1/auth/token',
  },
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'An API key as "Authorization: ApiKey <id.secret>" (only to obtain a token)',
  },
} as const;

function operation(route: RouteSpec, convert: (schema: z.ZodType, io: 'input' | 'output') => Json, problem: Json) {
  const parameters = [
    ...parametersOf(route.params, 'path', convert),
    ...parametersOf(route.query, 'query', convert),
    ...parametersOf(route.headers, 'header', convert),
  ];
  const responses: Record<string, Json> = {};
  for (const [status, response] of Object.entries(route.responses)) {
    responses[status] =
      Number(status) >= 400 ? problemResponse(response.description, problem) : success(response, convert);
  }
  const secured = !route.security.includes('none');
  // 400 always: even an operation without parameters refuses unknown or repeated query parameters.
  const problems = new Set<number>([400, 500]);
  if (route.body) problems.add(422).add(413).add(415);
  if (route.bodyFiles) problems.add(413).add(415).add(422);
  if (secured) problems.add(401).add(403).add(429);
  if (route.params) problems.add(404);
  for (const status of problems) responses[String(status)] ??= problemResponse(PROBLEMS[status]!, problem);
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    ...(route.roles ? { 'x-roles': [...route.roles] } : {}),
    security: secured ? route.security.map((scheme) => ({ [scheme]: [] })) : [],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: convert(route.body, 'input') } } } }
      : route.bodyFiles
        ? {
            requestBody: {
              required: true,
              content: Object.fromEntries(
                route.bodyFiles.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
              ),
            },
          }
        : {}),
    responses,
  };
}

function success(response: ResponseSpec, convert: (schema: z.ZodType, io: 'input' | 'output') => Json): Json {
  const content: Record<string, Json> = {};
  if (response.schema) content['application/json'] = { schema: convert(response.schema, 'output') };
  for (const type of response.files ?? []) content[type] = { schema: { type: 'string', format: 'binary' } };
  return {
    description: response.description,
    ...(response.headers
      ? {
          headers: Object.fromEntries(
            Object.entries(response.headers).map(([name, description]) => [
              name,
              { description, schema: { type: 'string' } },
            ]),
          ),
        }
      : {}),
    ...(Object.keys(content).length > 0 ? { content } : {}),
  };
}

function problemResponse(description: string, problem: Json): Json {
  return { description, content: { [PROBLEM_MEDIA_TYPE]: { schema: problem } } };
}

function parametersOf(
  schema: z.ZodObject | undefined,
  location: 'path' | 'query' | 'header',
  convert: (schema: z.ZodType, io: 'input' | 'output') => Json,
): Json[] {
  if (!schema) return [];
  const object = convert(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as { description?: string };
    return {
      name,
      in: location,
      required: location === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

function toJson(schema: z.ZodType, io: 'input' | 'output'): Json {
  const json = z.toJSONSchema(schema, { io, target: 'draft-2020-12', unrepresentable: 'any' }) as Json;
  delete json.$schema;
  return json;
}

/** Moves named schemas ($defs) into components.schemas and points the references there. */
function hoist(json: Json, schemas: Record<string, Json>): Json {
  const defs = (json.$defs ?? {}) as Record<string, Json>;
  delete json.$defs;
  const relink = <T>(value: T): T =>
    JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/')) as T;
  for (const [id, def] of Object.entries(defs)) schemas[id] ??= relink(def);
  return relink(json);
}
