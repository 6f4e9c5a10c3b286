import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { RuleEngine, findFormVersion, formVersions, ruleSetFor, type FormVersion, type RuleSet } from '@huoju/domain';

/**
 * The rule sets validation applies, one per form version. A provider so that a rule change can be
 * rolled out (and tested) without touching the consumer; the fingerprint tells when the rules changed.
 */
@Injectable()
export class RuleSets {
  private readonly engines = new Map<string, RuleEngine>();

  constructor(private readonly overrides: readonly RuleSet[] = []) {}

  forms(): readonly FormVersion[] {
    return formVersions();
  }

  ruleSet(form: FormVersion): RuleSet {
    return (
      this.overrides.find((set) => set.formId === form.formId && set.formVersion === form.version) ?? ruleSetFor(form)
    );
  }

  engine(formId: string, formVersion: string): { form: FormVersion; engine: RuleEngine } {
    const form = findFormVersion(formId, formVersion);
    if (!form) throw new Error(`unknown form version ${formId} ${formVersion}`);
    const key = `${formId}@${formVersion}`;
    let engine = this.engines.get(key);
    if (!engine) {
      engine = new RuleEngine(form, this.ruleSet(form));
      this.engines.set(key, engine);
    }
    return { form, engine };
  }

  /** Changes whenever any rule's data changes, even if someone forgot to bump the version. */
  fingerprint(form: FormVersion): string {
    return createHash('sha256')
      .update(JSON.stringify(this.ruleSet(form)))
      .digest('hex');
  }
}
