import { createReadStream } from 'node:fs';
import { Body, Controller, Get, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowRoles, CurrentPrincipal, type Principal } from '@huoju/platform';
import { ExportsService } from './exports.service';

@ApiTags('exports')
@ApiBearerAuth()
@AllowRoles('park', 'commission', 'admin')
@Controller('v1/exports')
export class ExportsController {
  constructor(private readonly exports: ExportsService) {}

  @Post()
  @ApiOperation({
    summary:
      'Export a form, period and park ("all" for the commission) as xlsx, csv or sdmx-csv: 202 with the job; cutoff = an export id or a validatedAt instant re-exports an earlier cut-off',
  })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['formId', 'period', 'park', 'format'],
      properties: {
        formId: { type: 'string', enum: ['torch-monthly', 'torch-annual'] },
        period: { type: 'string', example: '2026-09' },
        park: { type: 'string', example: 'CORE', description: 'a park code, or "all" (commission and admins)' },
        format: { type: 'string', enum: ['xlsx', 'csv', 'sdmx-csv'] },
        cutoff: {
          type: 'string',
          description:
            'an earlier export id (its manifest) or a validatedAt instant; omitted = everything validated so far',
        },
      },
    },
  })
  async create(
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const view = await this.exports.request(body, principal);
    await reply.status(202).header('location', view.links.self).send(view);
  }

  @Get()
  @ApiOperation({ summary: 'Recent exports you may read (filters: formId, period, park)' })
  list(@Query() query: { formId?: string; period?: string; park?: string }, @CurrentPrincipal() principal: Principal) {
    return this.exports.list(query, principal);
  }

  @Get(':id')
  @ApiOperation({ summary: 'State and progress (rows written, percent) of an export' })
  view(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.exports.view(id, principal);
  }

  @Get(':id/file')
  @ApiOperation({ summary: 'Download the file (409 until it is ready)' })
  async file(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.exports.file(id, principal);
    await reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.name}"`)
      .header('content-length', String(file.bytes))
      .header('etag', `"${file.sha256}"`)
      .header('repr-digest', `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`)
      .send(createReadStream(file.path));
  }

  @Get(':id/manifest')
  @ApiOperation({
    summary:
      'The manifest: row counts, sha-256 of the file, and the cut-off (every included filing, revision and verdict)',
  })
  async manifest(
    @Param('id') id: string,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const path = await this.exports.manifest(id, principal);
    await reply.header('content-type', 'application/json; charset=utf-8').send(createReadStream(path));
  }
}
