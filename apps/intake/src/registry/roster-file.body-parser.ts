import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import { ProblemException } from '@huoju/platform';
import { ROSTER_MEDIA_TYPES, formatOfMediaType } from './roster-file';

/** Fastify route config (set with @RouteConfig) of the routes that take a roster file as their body. */
export const ROSTER_FILE_ROUTE = { rosterFile: true } as const;

/** A 10,000-row XLSX is about 1 MB; this leaves room for large rosters and verbose spreadsheets. */
export const ROSTER_FILE_BODY_LIMIT = 20 * 1024 * 1024;

/**
 * Lets Fastify take CSV and XLSX bodies as a Buffer with a 20 MB limit. Content-type parsers are global in
 * Fastify, so a hook refuses these types on every other route before any of the body is read: there the
 * application-wide limit (BODY_LIMIT_BYTES) still applies to everything.
 */
@Injectable()
export class RosterFileBodyParser implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as FastifyAdapter | undefined;
    // Routes are registered but Fastify is not ready yet, so parsers and hooks can still be added.
    if (!adapter) return;
    adapter.useBodyParser(
      Object.values(ROSTER_MEDIA_TYPES),
      false,
      { bodyLimit: ROSTER_FILE_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    adapter.getInstance().addHook('preParsing', async (request, _reply, payload) => {
      const config = request.routeOptions.config as Partial<typeof ROSTER_FILE_ROUTE> | undefined;
      if (!config?.rosterFile && formatOfMediaType(request.headers['content-type'])) {
        throw new ProblemException(
          415,
          'REQUEST.MEDIA_TYPE',
          'Unsupported media type',
          'Only the roster import takes CSV or XLSX; send application/json.',
          [],
          '只有企业名录导入接受 CSV 或 XLSX，请使用 application/json',
        );
      }
      return payload;
    });
  }
}
