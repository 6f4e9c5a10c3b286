import { Module } from '@nestjs/common';
import { EnterpriseRepository } from './enterprise.repository';
import { RegistryController } from './registry.controller';
import { RegistryService } from './registry.service';

const controllers = [RegistryController];
const services = [RegistryService];
const repositories = [EnterpriseRepository];

@Module({ controllers, providers: [...services, ...repositories], exports: [RegistryService, EnterpriseRepository] })
export class RegistryModule {}
