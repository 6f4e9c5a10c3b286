import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentPrincipal, type Principal } from '@huoju/platform';
import { WebhookService } from './webhook.service';

@ApiTags('compliance')
@ApiBearerAuth()
@AllowRoles('street', 'park', 'commission', 'admin')
@Controller('v1/compliance/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookService) {}

  @Put(':kind/:code')
  @AllowRoles('street', 'park', 'admin')
  @ApiOperation({
    summary:
      'Set the webhook reminders for a street/town or park go to: {url, secret} (admin or that team); bodies are HMAC-SHA256 signed',
  })
  configure(
    @Param('kind') kind: string,
    @Param('code') code: string,
    @Body() body: { url?: unknown; secret?: unknown } | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.webhooks.configure(principal, kind, code, body);
  }

  @Get(':kind/:code')
  @ApiOperation({ summary: 'The webhook set for a street/town or park (never its secret)' })
  read(@Param('kind') kind: string, @Param('code') code: string, @CurrentPrincipal() principal: Principal) {
    return this.webhooks.read(principal, kind, code);
  }

  @Get(':kind/:code/deliveries')
  @ApiOperation({ summary: 'The delivery log: each reminder sent to the webhook, its state and every attempt' })
  deliveries(
    @Param('kind') kind: string,
    @Param('code') code: string,
    @Query('limit') limit: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ) {
    return this.webhooks.deliveries(principal, kind, code, limit);
  }
}
