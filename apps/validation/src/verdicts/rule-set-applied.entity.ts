import { defineEntity, p } from '@mikro-orm/core';

/** Which rule set each form version was last validated with; a changed fingerprint triggers a re-validation. */
export const RuleSetAppliedSchema = defineEntity({
  name: 'RuleSetApplied',
  tableName: 'rule_set_applied',
  properties: {
    formId: p.string().primary(),
    formVersion: p.string().primary(),
    ruleSetVersion: p.string(),
    fingerprint: p.string(),
    appliedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});

export class RuleSetApplied extends RuleSetAppliedSchema.class {}
RuleSetAppliedSchema.setClass(RuleSetApplied);
