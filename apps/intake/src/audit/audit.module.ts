import { Global, Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AuditController } from './audit.controller';
import { AuditRecordedConsumer } from './audit-recorded.consumer';
import { AuditRepository } from './audit.repository';
import { AuditService } from './audit.service';
import { AuditedInterceptor } from './audited.interceptor';

/** The audit log: written by @Audited endpoints, by sign-in and by other services' audit events; read by admins. */
@Global()
@Module({
  controllers: [AuditController, AuditRecordedConsumer],
  providers: [AuditRepository, AuditService, { provide: APP_INTERCEPTOR, useClass: AuditedInterceptor }],
  exports: [AuditService],
})
export class AuditModule {}
