import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { EventEnvelope } from '@huoju/contracts';
import { ConsumeEvent } from '@huoju/messaging';
import { ValidationService } from './validation.service';

@Controller()
export class FilingSubmittedConsumer {
  constructor(private readonly validation: ValidationService) {}

  @ConsumeEvent('filing.submitted.v1', { batch: true })
  handle(@Payload() envelopes: EventEnvelope<'filing.submitted.v1'>[]): Promise<void> {
    return this.validation.validateSubmissions(envelopes);
  }
}
