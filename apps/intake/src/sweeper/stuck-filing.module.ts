import { Global, Module } from '@nestjs/common';
import { StuckFilingRepository } from './stuck-filing.repository';
import { StuckFilingSweeper } from './stuck-filing.sweeper';

/** Global so that the health module can report the sweeper's findings. */
@Global()
@Module({ providers: [StuckFilingSweeper, StuckFilingRepository], exports: [StuckFilingSweeper] })
export class StuckFilingModule {}
