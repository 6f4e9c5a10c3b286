import { Controller, Get } from '@nestjs/common';
import { intakeRoutes as routes, type ResponseOf } from '@huoju/contracts/http';
import {
  EXPLANATION_REASONS,
  describeRules,
  findFormVersion,
  formVersions,
  isFormId,
  latestFormVersion,
  ruleSetFor,
  scheduleFor,
  parsePeriod,
  formVersionFor,
} from '@huoju/domain';
import { ProblemException, Public, Valid, type ValidRequest } from '@huoju/platform';

type R = typeof routes;

/** The forms and their rules as data, readable by anyone who files or integrates. */
@Public()
@Controller('v1/forms')
export class FormsController {
  @Get()
  list(@Valid(routes.listForms) _input: ValidRequest<R['listForms']>): ResponseOf<R['listForms'], 200> {
    return formVersions().map((form) => ({
      formId: form.formId,
      version: form.version,
      titleZh: form.titleZh,
      titleEn: form.titleEn,
      periodType: form.periodType,
      validFrom: form.validFrom,
      validTo: form.validTo ?? null,
      schedule: form.schedule,
      ruleSetVersion: form.ruleSetVersion,
      indicators: form.indicators.length,
    }));
  }

  @Get(':formId')
  get(@Valid(routes.getForm) input: ValidRequest<R['getForm']>): ResponseOf<R['getForm'], 200> {
    const { formId } = input.params;
    const { version, period } = input.query;
    const form = this.resolve(formId, version, period);
    const dated = period ? { period, schedule: scheduleFor(form, parsePeriod(period, form.periodType)) } : undefined;
    const schedule = dated?.schedule;
    return {
      ...form,
      ...(dated && schedule
        ? {
            deadlines: {
              period: dated.period,
              opensOn: schedule.opensOn,
              dueOn: schedule.dueOn,
              graceEndsOn: schedule.graceEndsOn,
              locksOn: schedule.locksOn,
            },
          }
        : {}),
    };
  }

  @Get(':formId/rules')
  rules(@Valid(routes.getFormRules) input: ValidRequest<R['getFormRules']>): ResponseOf<R['getFormRules'], 200> {
    const form = this.resolve(input.params.formId, input.query.version, input.query.period);
    const ruleSet = ruleSetFor(form);
    return {
      formId: form.formId,
      formVersion: form.version,
      ruleSetVersion: ruleSet.version,
      rules: describeRules(ruleSet),
      explanationReasons: EXPLANATION_REASONS,
    };
  }

  private resolve(formId: string, version?: string, period?: string) {
    const form = !isFormId(formId)
      ? undefined
      : version
        ? findFormVersion(formId, version)
        : period
          ? formVersionFor(formId, period)
          : latestFormVersion(formId);
    if (!form)
      throw new ProblemException(
        404,
        'FORM.NOT_FOUND',
        'Not found',
        `No form ${formId}${version ? ` version ${version}` : ''}${period ? ` for ${period}` : ''}.`,
        [],
        '没有该报表或版本',
      );
    return form;
  }
}
