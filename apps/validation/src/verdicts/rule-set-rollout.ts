import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { MikroORM } from '@mikro-orm/postgresql';
import { withAdvisoryLock } from '@huoju/persistence';
import { RuleSetApplied } from './rule-set-applied.entity';
import { RuleSets } from './rule-sets';
import { ValidationService } from './validation.service';

/**
 * At start, compares each form version's rule set with the one last applied; where it changed,
 * re-validates the open periods and records the new fingerprint — once, however many instances start.
 */
@Injectable()
export class RuleSetRollout implements OnApplicationBootstrap {
  constructor(
    private readonly orm: MikroORM,
    private readonly ruleSets: RuleSets,
    private readonly validation: ValidationService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.rollOut();
  }

  /** One instance at a time: the next one to start finds the new fingerprint and re-validates nothing. */
  rollOut(): Promise<{ formId: string; formVersion: string; evaluated: number; changed: number }[]> {
    return withAdvisoryLock(this.orm, `huoju.rule-set-rollout.${this.orm.config.get('schema')}`, () =>
      this.rollOutNow(),
    );
  }

  private async rollOutNow(): Promise<{ formId: string; formVersion: string; evaluated: number; changed: number }[]> {
    const em = this.orm.em.fork();
    const results = [];
    for (const form of this.ruleSets.forms()) {
      const fingerprint = this.ruleSets.fingerprint(form);
      const applied = await em.findOne(RuleSetApplied, { formId: form.formId, formVersion: form.version });
      if (applied?.fingerprint === fingerprint) continue;
      if (applied)
        results.push({
          formId: form.formId,
          formVersion: form.version,
          ...(await this.validation.revalidateOpenPeriods(form.formId, form.version)),
        });
      const change = { ruleSetVersion: this.ruleSets.ruleSet(form).version, fingerprint };
      if (applied) em.assign(applied, change);
      else em.create(RuleSetApplied, { formId: form.formId, formVersion: form.version, ...change });
      await em.flush();
    }
    return results;
  }
}
