import { Module } from '@nestjs/common';
import { ExportsModule } from '../export/exports.module';
import { AggregateRolledUpConsumer } from './aggregate-rolled-up.consumer';
import { AutoExportController } from './auto-export.controller';
import { AutoExportService } from './auto-export.service';
import { AutoExportSettingRepository } from './auto-export-setting.repository';

const httpControllers = [AutoExportController];
const messageConsumers = [AggregateRolledUpConsumer];
const services = [AutoExportService, AutoExportSettingRepository];

/** Exports a park's period when aggregation reports it rolled up, for the parks configured. */
@Module({ imports: [ExportsModule], controllers: [...httpControllers, ...messageConsumers], providers: services })
export class AutoExportModule {}
