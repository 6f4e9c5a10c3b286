import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { torchExportRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AuditTrail } from '@huoju/messaging';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { ExportsService } from './exports.service';

type R = typeof routes;

@AllowRoles('park', 'commission', 'admin')
@Controller('v1/exports')
export class ExportsController {
  constructor(
    private readonly exports: ExportsService,
    private readonly audit: AuditTrail,
  ) {}

  @Post()
  async create(
    @Valid(routes.requestExport) { body }: ValidRequest<R['requestExport']>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.exports.request(body, principal);
    await this.audit.record(principal, request.ip, {
      action: 'export.create',
      target: view.id,
      details: { park: view.park, formId: view.formId, period: view.period, format: view.format },
    });
    await reply
      .status(202)
      .header('location', view.links.self)
      .send(view satisfies ResponseOf<R['requestExport'], 202>);
  }

  @Get()
  list(
    @Valid(routes.listExports) { query }: ValidRequest<R['listExports']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['listExports'], 200>> {
    return this.exports.list(query, principal);
  }

  @Get(':id')
  view(
    @Valid(routes.getExport) { params }: ValidRequest<R['getExport']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getExport'], 200>> {
    return this.exports.view(params.id, principal);
  }

  @Get(':id/file')
  async file(
    @Valid(routes.getExportFile) { params }: ValidRequest<R['getExportFile']>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.exports.file(params.id, principal);
    await this.audit.record(principal, request.ip, {
      action: 'export.download',
      target: params.id,
      details: { what: 'file', name: file.name, sha256: file.sha256 },
    });
    await reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .header('content-length', String(file.bytes))
      .header('etag', `"${file.sha256}"`)
      .header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
      .send(file.content);
  }

  @Get(':id/manifest')
  async manifest(
    @Valid(routes.getExportManifest) { params }: ValidRequest<R['getExportManifest']>,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const manifest = await this.exports.manifest(params.id, principal);
    await this.audit.record(principal, request.ip, {
      action: 'export.download',
      target: params.id,
      details: { what: 'manifest' },
    });
    await reply.header('content-type', 'application/json; charset=utf-8').send(manifest);
  }
}
