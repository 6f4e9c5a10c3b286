import { Module } from '@nestjs/common';
import { AttemptLimiter } from '../auth/attempt-limiter';
import { AccountRepository } from './account.repository';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { RefreshTokenRepository } from './refresh-token.repository';
import { SessionController } from './session.controller';
import { SessionService } from './session.service';

/** People's accounts: sign-in, refresh, sign-out, and their administration. */
@Module({
  controllers: [SessionController, AccountsController],
  providers: [AccountRepository, RefreshTokenRepository, AccountsService, SessionService, AttemptLimiter],
  exports: [AccountRepository, AccountsService, AttemptLimiter],
})
export class AccountsModule {}
