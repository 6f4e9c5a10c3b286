import { startServiceUnderTest, type ServiceUnderTest } from '@huoju/testing';
import { startIntake } from '../src/bootstrap';
import { intakeConfigSchema } from '../src/intake.config';

export type RunningIntake = ServiceUnderTest;

/** intake in-process on a free port against the real services, in its own namespace. */
export function startTestIntake(env: Record<string, string> = {}, namespace?: string): Promise<RunningIntake> {
  return startServiceUnderTest({
    service: 'intake',
    configSchema: intakeConfigSchema,
    start: startIntake,
    schemas: ['intake'],
    env,
    namespace,
  });
}
