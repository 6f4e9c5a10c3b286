import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { ProblemException, Public } from '@huoju/platform';

/** The forms and their rules as data, readable by anyone who files or integrates. */
@ApiTags('forms')
@Public()
@Controller('v1/forms')
export class FormsController {
  @Get()
  @ApiOperation({ summary: 'Every form version with its period type and schedule' })
  list() {
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
  @ApiOperation({
    summary: 'A form version with its indicators in column order (latest, or ?version=, or the one for ?period=)',
  })
  get(@Param('formId') formId: string, @Query('version') version?: string, @Query('period') period?: string) {
    const form = this.resolve(formId, version, period);
    const schedule = period ? scheduleFor(form, parsePeriod(period, form.periodType)) : undefined;
    return {
      ...form,
      ...(schedule
        ? {
            deadlines: {
              period,
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
  @ApiOperation({
    summary:
      'Every validation rule: code, severity, what it checks, how to fix it; and the accepted explanation reasons',
  })
  rules(@Param('formId') formId: string, @Query('version') version?: string, @Query('period') period?: string) {
    const form = this.resolve(formId, version, period);
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
