import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, type Principal } from '@huoju/platform';
import { TargetsService } from './targets.service';

@ApiTags('targets')
@ApiBearerAuth()
@Controller('v1/targets')
export class TargetsController {
  constructor(private readonly targets: TargetsService) {}

  @Get()
  @ApiOperation({
    summary:
      'The action-plan targets of a park (or ZJ for the zone), with actual, progress and the indicators behind each',
  })
  list(@Query('park') park: string | undefined, @CurrentPrincipal() principal: Principal) {
    return this.targets.progress(park, principal);
  }
}
