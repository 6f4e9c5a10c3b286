import { Controller, Get, HttpCode, Post, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { intakeRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { IdempotentByKey } from '@huoju/persistence';
import { FilingsService } from './filings.service';
import { Audited } from '../audit/audited.interceptor';

type R = typeof routes;

@Controller('v1')
export class FilingsController {
  constructor(private readonly filings: FilingsService) {}

  @Post('filings')
  @AllowRoles('enterprise')
  // The key and the revision commit together: after a fault at COMMIT, running it again replays or stores.
  @IdempotentByKey()
  async submit(
    @Valid(routes.submitFiling) input: ValidRequest<R['submitFiling']>,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { receipt, replayed } = await this.filings.submit(
      input.body,
      principal,
      input.headers['idempotency-key'],
      input.headers['demo-received-at'],
    );
    await reply
      .status(202)
      .header('location', receipt.links.filing)
      .header('idempotent-replayed', String(replayed))
      .send(receipt satisfies ResponseOf<R['submitFiling'], 202>);
  }

  // Fastify reads "::" as a literal colon, so this is POST /v1/filings:validate.
  @Post('filings::validate')
  @HttpCode(200)
  @AllowRoles('enterprise', 'street', 'park', 'commission')
  validate(
    @Valid(routes.validateFiling) input: ValidRequest<R['validateFiling']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['validateFiling'], 200>> {
    return this.filings.dryRun(input.body, principal);
  }

  @Get('filings')
  list(
    @Valid(routes.listFilings) input: ValidRequest<R['listFilings']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['listFilings'], 200>> {
    return this.filings.list(input.query, principal);
  }

  @Get('filings/:id')
  view(
    @Valid(routes.getFiling) input: ValidRequest<R['getFiling']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getFiling'], 200>> {
    return this.filings.view(input.params.id, principal);
  }

  @Get('filings/:id/revisions/:revision')
  revision(
    @Valid(routes.getFilingRevision) input: ValidRequest<R['getFilingRevision']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getFilingRevision'], 200>> {
    return this.filings.revisionView(input.params.id, input.params.revision, principal);
  }

  @Post('filings/:id/explanations')
  @HttpCode(202)
  @AllowRoles('enterprise')
  explain(
    @Valid(routes.explainFiling) input: ValidRequest<R['explainFiling']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['explainFiling'], 202>> {
    return this.filings.explain(input.params.id, input.body, principal);
  }

  @Post('filings/:id/return')
  @Audited({ action: 'filing.return', target: (params) => params.id ?? '' })
  @HttpCode(200)
  @AllowRoles('street', 'park', 'commission')
  returnFiling(
    @Valid(routes.returnFiling) input: ValidRequest<R['returnFiling']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['returnFiling'], 200>> {
    return this.filings.returnFiling(input.params.id, input.body, principal);
  }
}
