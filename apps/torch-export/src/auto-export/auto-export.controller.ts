import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AllowRoles, CurrentPrincipal, type Principal } from '@huoju/platform';
import { AutoExportService } from './auto-export.service';

@ApiTags('exports')
@ApiBearerAuth()
@AllowRoles('commission', 'admin')
@Controller('v1/exports/auto')
export class AutoExportController {
  constructor(private readonly autoExports: AutoExportService) {}

  @Get()
  @ApiOperation({
    summary: 'Which parks are exported automatically when their period is rolled up, and in which formats',
  })
  list() {
    return this.autoExports.list();
  }

  @Get(':park')
  get(@Param('park') park: string) {
    return this.autoExports.get(park);
  }

  @Put(':park')
  @ApiOperation({
    summary: 'Turn automatic exports of a park on or off: {"enabled": true, "formats": ["xlsx", "sdmx-csv"]}',
  })
  update(@Param('park') park: string, @Body() body: unknown, @CurrentPrincipal() principal: Principal) {
    return this.autoExports.update(park, body, principal);
  }
}
