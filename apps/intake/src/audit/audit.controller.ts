import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles } from '@huoju/platform';
import { AuditService } from './audit.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('v1/audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @AllowRoles('admin')
  @ApiOperation({ summary: 'The audit log, newest first (filters: actor, action, from, to; paging)' })
  list(@Query() query: unknown) {
    return this.audit.page(query);
  }
}
