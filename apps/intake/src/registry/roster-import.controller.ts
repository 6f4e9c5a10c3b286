import { Body, Controller, Get, Headers, HttpCode, Post, Query, Res } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowRoles, CurrentPrincipal, ProblemException, type Principal } from '@huoju/platform';
import { ROSTER_FILE_ROUTE } from './roster-file.body-parser';
import { ROSTER_MEDIA_TYPES, type RosterFormat } from './roster-file';
import { RosterImportService } from './roster-import.service';
import { Audited } from '../audit/audited.interceptor';

@ApiTags('registry')
@ApiBearerAuth()
@Controller('v1')
export class RosterImportController {
  constructor(private readonly rosterImport: RosterImportService) {}

  // Fastify reads "::" as a literal colon, so this is POST /v1/enterprises:import.
  @Post('enterprises::import')
  @Audited({ action: 'roster.import', target: () => 'roster' })
  @HttpCode(200)
  @AllowRoles('admin', 'park')
  @RouteConfig(ROSTER_FILE_ROUTE)
  @ApiConsumes(ROSTER_MEDIA_TYPES.csv, ROSTER_MEDIA_TYPES.xlsx)
  @ApiBody({
    schema: { type: 'string', format: 'binary' },
    description: 'The roster file itself (CSV in UTF-8, or XLSX), up to 20 MB',
  })
  @ApiQuery({
    name: 'dryRun',
    required: false,
    type: Boolean,
    description: 'Check and report what would change, store nothing',
  })
  @ApiOperation({
    summary:
      'Import a roster file (park teams: their own park): every error at once (422), else all rows applied in one transaction',
    description:
      'New USCCs are registered; existing enterprises get the differences, park and street moves dated from the row’s validFrom; identical rows change nothing.',
  })
  import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Query('dryRun') dryRun: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.rosterImport.import(body, contentType, dryRun === 'true' || dryRun === '1', principal);
  }

  @Get('enterprises::import/template')
  @AllowRoles('admin', 'park')
  @ApiProduces(ROSTER_MEDIA_TYPES.csv, ROSTER_MEDIA_TYPES.xlsx)
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'xlsx'] })
  @ApiOperation({ summary: 'The roster file template: header row (Chinese and field names) and one example row' })
  async template(
    @Query('format') format: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer> {
    const chosen = format ?? 'xlsx';
    if (chosen !== 'csv' && chosen !== 'xlsx') {
      throw new ProblemException(
        400,
        'IMPORT.TEMPLATE_FORMAT',
        'Unknown format',
        'format is csv or xlsx.',
        [],
        '模板格式为 csv 或 xlsx',
      );
    }
    const template = await this.rosterImport.template(chosen satisfies RosterFormat);
    void reply
      .header('content-type', template.contentType)
      .header('content-disposition', `attachment; filename="${template.filename}"`);
    return template.body;
  }
}
