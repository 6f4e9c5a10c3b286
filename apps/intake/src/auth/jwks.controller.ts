import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@huoju/platform';
import { INTAKE_CONFIG, intakeJwks, type IntakeConfig } from '../intake.config';

/** The public keys tokens are signed with, for verifiers outside this deployment's configuration. */
@ApiTags('auth')
@Controller('.well-known')
export class JwksController {
  constructor(@Inject(INTAKE_CONFIG) private readonly config: IntakeConfig) {}

  @Public()
  @Get('jwks.json')
  @Header('cache-control', 'public, max-age=300')
  @ApiOperation({ summary: 'JWKS: the Ed25519 public keys bearer tokens are signed with (several during a rotation)' })
  jwks() {
    return { keys: intakeJwks(this.config).keys.map((key) => ({ ...key, alg: 'EdDSA', use: 'sig' })) };
  }
}
