import type { GeneratedEnterprise } from '@huoju/testing';

const HEADER = [
  'uscc',
  'nameZh',
  'industryCode',
  'registeredDistrict',
  'contactName',
  'contactPhone',
  'contactEmail',
  'parkCode',
  'subParkCode',
  'carrierCode',
  'streetCode',
  'validFrom',
  'qualifications',
  'industryTags',
  'scope',
];

/** A roster file in intake's import format (English headers), as a park office would upload it. */
export function rosterCsv(enterprises: readonly GeneratedEnterprise[]): string {
  const lines = [HEADER.join(',')];
  for (const e of enterprises) {
    lines.push(
      [
        e.uscc,
        e.nameZh,
        e.industryCode,
        e.registeredDistrict,
        e.contact.name,
        e.contact.phone,
        e.contact.email,
        e.parkCode,
        e.subParkCode,
        e.carrierCode ?? '',
        e.streetCode,
        '2025-01-01',
        e.qualifications
          .map((q) => [q.tag, q.validFrom, q.validTo ?? '', q.certificateNo ?? ''].join(':').replace(/:+$/, ''))
          .join(';'),
        e.industryTags.join(';'),
        e.scope.map((s) => [s.formId, s.validFrom, s.validTo ?? ''].join(':').replace(/:+$/, '')).join(';'),
      ]
        .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell))
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
