import type { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** bearer: a JWT from /v1/auth/token (or sign-in); apiKey: "Authorization: ApiKey <id.secret>"; none: public. */
export type SecurityScheme = 'bearer' | 'apiKey' | 'none';

export interface ResponseSpec {
  readonly description: string;
  /** JSON body; absent for 204 or a file. */
  readonly schema?: z.ZodType;
  /** Media types of a file download (the body is the file's bytes). */
  readonly files?: readonly string[];
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * One HTTP operation: what it takes and what it answers. The same zod schemas validate requests in the
 * services, type the responses and make the OpenAPI document. Paths use OpenAPI's `{param}` syntax.
 */
export interface RouteSpec {
  readonly operationId: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  readonly tags: readonly string[];
  readonly security: readonly SecurityScheme[];
  /** Roles that may call it (documentation; enforced by the service's guard). */
  readonly roles?: readonly string[];
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly headers?: z.ZodObject;
  readonly body?: z.ZodType;
  /** Request media types other than JSON (a roster file). */
  readonly bodyFiles?: readonly string[];
  readonly responses: Readonly<Record<number, ResponseSpec>>;
}

/** Keeps the literal types of a route, so that params, query, body and responses stay typed where it is used. */
export function defineRoute<const R extends RouteSpec>(route: R): R {
  return route;
}

/** A service's routes by operationId. */
export type RouteTable = Readonly<Record<string, RouteSpec>>;

export function routeTable<const T extends Record<string, Omit<RouteSpec, 'operationId'>>>(
  routes: T,
): { readonly [K in keyof T]: T[K] & { readonly operationId: K & string } } {
  return Object.fromEntries(
    Object.entries(routes).map(([operationId, route]) => [operationId, { ...route, operationId }]),
  ) as { readonly [K in keyof T]: T[K] & { readonly operationId: K & string } };
}

type SchemaOut<S> = S extends z.ZodType ? z.output<S> : never;
type SchemaIn<S> = S extends z.ZodType ? z.input<S> : never;

/** What a handler receives after validation. */
export type ParamsOf<R extends RouteSpec> = SchemaOut<R['params']>;
export type QueryOf<R extends RouteSpec> = SchemaOut<R['query']>;
export type BodyOf<R extends RouteSpec> = SchemaOut<R['body']>;
/** What a client sends. */
export type BodyInputOf<R extends RouteSpec> = SchemaIn<R['body']>;
export type HeadersOf<R extends RouteSpec> = SchemaOut<R['headers']>;

/** Read-only all the way down, so that a service's readonly view types satisfy a response schema. */
export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** What a handler answers with the given status. */
export type ResponseOf<R extends RouteSpec, S extends keyof R['responses']> = R['responses'][S] extends {
  schema: infer T;
}
  ? DeepReadonly<SchemaOut<T>>
  : never;
