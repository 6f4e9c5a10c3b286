import { Module } from '@nestjs/common';
import { EnterpriseBatchRepository } from './enterprise-batch.repository';
import { EnterpriseRepository } from './enterprise.repository';
import { EnterpriseSearchQuery } from './enterprise-search.query';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';
import { RosterFileBodyParser } from './roster-file.body-parser';
import { RosterImportController } from './roster-import.controller';
import { RosterImportService } from './roster-import.service';

const controllers = [RegistryController, RosterImportController];
const services = [RegistryService, RosterImportService];
const repositories = [EnterpriseRepository, EnterpriseBatchRepository, EnterpriseSearchQuery];
const http = [RosterFileBodyParser];

@Module({
  controllers,
  providers: [...services, ...repositories, ...http],
  exports: [RegistryService, EnterpriseRepository],
})
export class RegistryModule {}
