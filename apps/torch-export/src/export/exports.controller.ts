import { Controller, Get, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { torchExportRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { ExportsService } from './exports.service';

type R = typeof routes;

@AllowRoles('park', 'commission', 'admin')
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  async create(
    @Valid(routes.requestExport) { body }: ValidRequest<R['requestExport']>,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.exports.request(body, principal);
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
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.exports.file(params.id, principal);
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
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const manifest = await this.exports.manifest(params.id, principal);
    await reply.header('content-type', 'application/json; charset=utf-8').send(manifest);
  }
}
