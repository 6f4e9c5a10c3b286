import { Body, Controller, Get, Headers, HttpCode, Param, ParseIntPipe, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AllowRoles, CurrentPrincipal, ProblemException, type Principal } from '@huoju/platform';
import { FilingsService } from './filings.service';
import { Audited } from '../audit/audited.interceptor';

@ApiTags('filings')
@ApiBearerAuth()
@Controller('v1')
export class FilingsController {
  constructor(private readonly filings: FilingsService) {}

  @Post('filings')
  @AllowRoles('enterprise')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Same key and body → the same receipt, no new revision; same key, other body → 409',
  })
  @ApiOperation({ summary: 'File (or amend) a Torch report: 202 with a receipt; validation follows asynchronously' })
  async submit(
    @Body() body: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ) {
    if (key !== undefined && !/^[\w.:-]{1,100}$/.test(key)) {
      throw new ProblemException(
        400,
        'IDEMPOTENCY.KEY_INVALID',
        'Invalid Idempotency-Key',
        'Use 1–100 letters, digits, dots, colons, dashes or underscores.',
      );
    }
    const { receipt, replayed } = await this.filings.submit(body, principal, key);
    await reply
      .status(202)
      .header('location', receipt.links.filing)
      .header('idempotent-replayed', String(replayed))
      .send(receipt);
  }

  // Fastify reads "::" as a literal colon, so this is POST /v1/filings:validate.
  @Post('filings::validate')
  @HttpCode(200)
  @AllowRoles('enterprise', 'street', 'park', 'commission')
  @ApiOperation({ summary: 'Dry run: every finding the validation service would give, nothing stored' })
  validate(@Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.filings.dryRun(body, principal);
  }

  @Get('filings')
  @ApiOperation({
    summary: 'Filings you may see (enterprise: its own; street/park teams: their area; commission: all)',
  })
  list(@Query() query: Record<string, string>, @CurrentPrincipal() principal: Principal) {
    return this.filings.list(query, principal);
  }

  @Get('filings/:id')
  view(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return this.filings.view(id, principal);
  }

  @Get('filings/:id/revisions/:revision')
  revision(
    @Param('id') id: string,
    @Param('revision', ParseIntPipe) revision: number,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.filings.revisionView(id, revision, principal);
  }

  @Post('filings/:id/explanations')
  @HttpCode(202)
  @AllowRoles('enterprise')
  @ApiOperation({
    summary: 'Explain the warnings of the current revision (coded reason + specific text); it goes back to validation',
  })
  explain(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.filings.explain(id, body, principal);
  }

  @Post('filings/:id/return')
  @Audited({ action: 'filing.return', target: (params) => params.id ?? '' })
  @HttpCode(200)
  @AllowRoles('street', 'park', 'commission')
  @ApiOperation({ summary: 'Return a filing to the enterprise with a comment; its figures are never changed' })
  returnFiling(@Param('id') id: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.filings.returnFiling(id, body, principal);
  }
}
