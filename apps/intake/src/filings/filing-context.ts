import { Injectable } from '@nestjs/common';
import type { EntityManager } from '@mikro-orm/postgresql';
import { referencesFor, type EvaluationContext, type FormId } from '@huoju/domain';
import { FilingRepository } from './filing.repository';

/**
 * What the rule engine needs beyond the filing, read from intake's own tables: the roster on the period's
 * last day and the enterprise's latest accepted filings the cross-period rules compare with. The validation
 * service builds the same context from its projections (same `referencesFor`), so the dry run agrees with it.
 */
@Injectable()
export class FilingContextBuilder {
  constructor(private readonly filings: FilingRepository) {}

  async build(em: EntityManager, uscc: string, formId: FormId, period: string): Promise<EvaluationContext> {
    const references = referencesFor(formId, period);
    const enterprise = await this.filings.enterpriseOn(em, uscc, formId, references.rosterDate);
    const [previousMonth, sameMonthLastYear, otherForm] = await Promise.all([
      references.previousMonth &&
        this.filings.latestAccepted(em, uscc, references.previousMonth.formId, references.previousMonth.period),
      this.filings.latestAccepted(em, uscc, references.sameMonthLastYear.formId, references.sameMonthLastYear.period),
      references.otherForm &&
        this.filings.latestAccepted(em, uscc, references.otherForm.formId, references.otherForm.period),
    ]);
    return {
      ...(enterprise ? { enterprise: { industryCode: enterprise.industry_code, inScope: enterprise.in_scope } } : {}),
      ...(previousMonth ? { previousMonth } : {}),
      ...(sameMonthLastYear ? { sameMonthLastYear } : {}),
      ...(otherForm && references.otherForm
        ? { otherForm: { ...otherForm, formId: references.otherForm.formId } }
        : {}),
    };
  }
}
