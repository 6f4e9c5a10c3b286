import { Controller, Get, Put } from '@nestjs/common';
import { aggregationRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import { AllowRoles, CurrentPrincipal, Valid, type Principal, type ValidRequest } from '@huoju/platform';
import { WebhookService } from './webhook.service';

type R = typeof routes;

@AllowRoles('street', 'park', 'commission', 'admin')
@Controller('v1/compliance/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Put(':kind/:code')
  @AllowRoles('street', 'park', 'admin')
  configure(
    @Valid(routes.setWebhook) { params, body }: ValidRequest<R['setWebhook']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['setWebhook'], 200>> {
    return this.webhooks.configure(principal, params.kind, params.code, body);
  }

  @Get(':kind/:code')
  read(
    @Valid(routes.getWebhook) { params }: ValidRequest<R['getWebhook']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['getWebhook'], 200>> {
    return this.webhooks.read(principal, params.kind, params.code);
  }

  @Get(':kind/:code/deliveries')
  deliveries(
    @Valid(routes.listWebhookDeliveries) { params, query }: ValidRequest<R['listWebhookDeliveries']>,
    @CurrentPrincipal() principal: Principal,
  ): Promise<ResponseOf<R['listWebhookDeliveries'], 200>> {
    return this.webhooks.deliveries(principal, params.kind, params.code, query.limit);
  }
}
