import { Workbook } from 'exceljs';
import { bearer, type GeneratedEnterprise, type JsonResponse } from '@huoju/testing';
import type { Principal } from '@huoju/platform';
import { toCsv } from '../src/registry/roster-csv';
import { ROSTER_COLUMNS, rosterHeader, type RosterField } from '../src/registry/roster-columns';
import { ROSTER_MEDIA_TYPES } from '../src/registry/roster-file';

export const XLSX = ROSTER_MEDIA_TYPES.xlsx;
export const CSV = ROSTER_MEDIA_TYPES.csv;

export type RosterCells = Record<RosterField, string>;

/** A generated enterprise as a roster file row; membership and street from validFrom, like enterpriseBody(). */
export function rosterCells(enterprise: GeneratedEnterprise, validFrom = '2025-01-01'): RosterCells {
  return {
    uscc: enterprise.uscc,
    nameZh: enterprise.nameZh,
    industryCode: enterprise.industryCode,
    registeredDistrict: enterprise.registeredDistrict,
    contactName: enterprise.contact.name,
    contactPhone: enterprise.contact.phone,
    contactEmail: enterprise.contact.email,
    parkCode: enterprise.parkCode,
    subParkCode: enterprise.subParkCode,
    carrierCode: enterprise.carrierCode ?? '',
    streetCode: enterprise.streetCode,
    validFrom,
    qualifications: enterprise.qualifications
      .map((q) => [q.tag, q.validFrom, q.validTo ?? '', q.certificateNo ?? ''].join(':').replace(/:+$/, ''))
      .join(';'),
    industryTags: enterprise.industryTags.join(';'),
    scope: enterprise.scope.map((s) => [s.formId, s.validFrom, s.validTo ?? ''].join(':').replace(/:+$/, '')).join(';'),
  };
}

/** The template's header row followed by the rows. */
export function rosterTable(rows: readonly RosterCells[]): string[][] {
  return [ROSTER_COLUMNS.map(rosterHeader), ...rows.map((row) => ROSTER_COLUMNS.map((column) => row[column.field]))];
}

export function rosterCsv(rows: readonly RosterCells[], options: { bom?: boolean } = {}): Buffer {
  return Buffer.from((options.bom ? '\uFEFF' : '') + toCsv(rosterTable(rows)), 'utf8');
}

export async function rosterXlsx(rows: readonly RosterCells[]): Promise<Buffer> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('企业名录');
  for (const cells of rosterTable(rows)) sheet.addRow(cells);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

export interface ImportReport {
  dryRun: boolean;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  updates: { row: number; uscc: string; changes: string[] }[];
}

export interface ImportProblem {
  code: string;
  errorCount: number;
  errors: {
    row: number;
    column: string;
    code: string;
    pointer: string;
    messageZh: string;
    messageEn: string;
    remedyZh?: string;
    value?: string;
  }[];
}

/** POSTs a file as the raw body (the JSON test client sends only text). */
export async function postRoster<T = ImportReport>(
  baseUrl: string,
  file: Buffer,
  options: { as: Principal; contentType: string; dryRun?: boolean },
): Promise<JsonResponse<T>> {
  const response = await fetch(`${baseUrl}/v1/enterprises:import${options.dryRun ? '?dryRun=true' : ''}`, {
    method: 'POST',
    headers: { authorization: await bearer(options.as), 'content-type': options.contentType },
    body: new Uint8Array(file),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
