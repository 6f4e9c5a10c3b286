import { z } from 'zod';
import { formIds, formVersionFor, isFormId, park as parkOf, type FormVersion } from '@huoju/domain';
import type { FieldError } from '@huoju/platform';
import { EXPORT_FORMATS, type ExportFormat } from '../torch-export.config';

/** A checked POST /v1/exports body. */
export interface ExportRequest {
  readonly form: FormVersion;
  readonly period: string;
  /** Park code or "all". */
  readonly park: string;
  readonly format: ExportFormat;
  /** Re-export an earlier cut-off: another export's id (its manifest), or verdicts validated up to an instant. */
  readonly cutoff?:
    | { readonly kind: 'export'; readonly exportId: string }
    | { readonly kind: 'validated-at'; readonly at: string };
}

const bodySchema = z.object({
  formId: z.string(),
  period: z.string(),
  park: z.string(),
  format: z.string(),
  cutoff: z.string().optional(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const instant = z.string().datetime({ offset: true });

function error(pointer: string, code: string, messageZh: string, messageEn: string): FieldError {
  return { pointer, code, messageZh, messageEn };
}

/** Checks the whole body and returns every field error at once. */
export function checkExportRequest(raw: unknown): { errors: FieldError[]; request?: ExportRequest } {
  const shape = bodySchema.safeParse(raw);
  if (!shape.success) {
    return {
      errors: shape.error.issues.map((issue) =>
        error(
          `/${issue.path.join('/')}`,
          'REQUEST.FIELD',
          `字段缺失或类型错误：${issue.message}`,
          `Missing or wrong type: ${issue.message}`,
        ),
      ),
    };
  }
  const body = shape.data;
  const errors: FieldError[] = [];
  const form = isFormId(body.formId) ? formVersionFor(body.formId, body.period) : undefined;
  if (!isFormId(body.formId)) {
    errors.push(
      error(
        '/formId',
        'EXPORT.FORM_UNKNOWN',
        `未知报表 “${body.formId}”，可选 ${formIds().join('、')}`,
        `Unknown form "${body.formId}"; use ${formIds().join(' or ')}`,
      ),
    );
  } else if (!form) {
    errors.push(
      error(
        '/period',
        'EXPORT.PERIOD_INVALID',
        `报告期 “${body.period}” 无效（月报 YYYY-MM，年报 YYYY）`,
        `Period "${body.period}" is not a period of this form (monthly YYYY-MM, annual YYYY)`,
      ),
    );
  }
  if (body.park !== 'all' && !parkOf(body.park)) {
    errors.push(
      error(
        '/park',
        'EXPORT.PARK_UNKNOWN',
        `未知园区代码 ${body.park}（或 all 表示全部园区）`,
        `Unknown park code ${body.park} (or "all" for every park)`,
      ),
    );
  }
  if (!(EXPORT_FORMATS as readonly string[]).includes(body.format)) {
    errors.push(
      error(
        '/format',
        'EXPORT.FORMAT_UNKNOWN',
        `未知格式 ${body.format}，可选 ${EXPORT_FORMATS.join('、')}`,
        `Unknown format ${body.format}; use ${EXPORT_FORMATS.join(', ')}`,
      ),
    );
  }
  let cutoff: ExportRequest['cutoff'];
  if (body.cutoff !== undefined) {
    if (UUID.test(body.cutoff)) cutoff = { kind: 'export', exportId: body.cutoff.toLowerCase() };
    else if (instant.safeParse(body.cutoff).success)
      cutoff = { kind: 'validated-at', at: new Date(body.cutoff).toISOString() };
    else {
      errors.push(
        error(
          '/cutoff',
          'EXPORT.CUTOFF_INVALID',
          'cutoff 须为某次导出的编号（其清单）或审核时间（ISO 8601）',
          'cutoff must be an export id (its manifest) or a validatedAt instant (ISO 8601)',
        ),
      );
    }
  }
  if (errors.length > 0 || !form) return { errors };
  return {
    errors,
    request: {
      form,
      period: body.period,
      park: body.park,
      format: body.format as ExportFormat,
      ...(cutoff ? { cutoff } : {}),
    },
  };
}
