import type { EnterpriseInput } from './enterprise-input';
import type { EnterpriseState } from './enterprise.repository';
import { changeLabels, describeChanges, diffEnterprise, hasChanges } from './roster-diff';

const everything = { carrierCode: true, qualifications: true, industryTags: true, scope: true };

const current: EnterpriseState = {
  uscc: '91310107MA1FL3XB5X',
  registryVersion: 3,
  nameZh: '上海示例智能科技有限公司',
  industryCode: 'I6513',
  registeredDistrict: '310107',
  contact: { name: '张明', phone: '021-62345678', email: 'tongji@example.com' },
  industryTags: ['IC', 'AI'],
  memberships: [
    { parkCode: 'PT', subParkCode: 'PT-CHANGFENG', carrierCode: null, validFrom: '2025-01-01', validTo: null },
  ],
  streets: [{ streetCode: '310107014', validFrom: '2025-01-01', validTo: null }],
  qualifications: [{ tag: 'HNTE', certificateNo: 'GR202431001234', validFrom: '2024-11-20', validTo: '2027-11-19' }],
  scope: [
    { formId: 'torch-annual', validFrom: '2025-01-01', validTo: null },
    { formId: 'torch-monthly', validFrom: '2025-01-01', validTo: null },
  ],
};

const same: EnterpriseInput = {
  uscc: current.uscc,
  nameZh: current.nameZh,
  industryCode: 'I6513',
  registeredDistrict: '310107',
  contact: { ...current.contact },
  parkCode: 'PT',
  subParkCode: 'PT-CHANGFENG',
  carrierCode: null,
  streetCode: '310107014',
  validFrom: '2025-01-01',
  qualifications: [{ tag: 'HNTE', validFrom: '2024-11-20', validTo: '2027-11-19', certificateNo: 'GR202431001234' }],
  industryTags: ['AI', 'IC'],
  scope: [
    { formId: 'torch-monthly', validFrom: '2025-01-01', validTo: null },
    { formId: 'torch-annual', validFrom: '2025-01-01', validTo: null },
  ],
};

describe(diffEnterprise.name, () => {
  it('finds nothing to change in a row that matches, whatever order its lists are in', () => {
    const { changes, problems } = diffEnterprise(same, everything, current);
    expect(problems).toEqual([]);
    expect(hasChanges(changes)).toBe(false);
  });

  it('does not move an enterprise whose park and street are unchanged, even when the row has a later validFrom', () => {
    const { changes } = diffEnterprise({ ...same, validFrom: '2026-07-01' }, everything, current);
    expect(hasChanges(changes)).toBe(false);
  });

  it('moves park and street from the row’s validFrom', () => {
    const { changes, problems } = diffEnterprise(
      { ...same, parkCode: 'CN', subParkCode: 'CN-E', streetCode: '310105001', validFrom: '2026-07-01' },
      everything,
      current,
    );
    expect(problems).toEqual([]);
    expect(changes).toEqual({
      details: [],
      membership: { parkCode: 'CN', subParkCode: 'CN-E', carrierCode: null, validFrom: '2026-07-01' },
      street: { streetCode: '310105001', validFrom: '2026-07-01' },
    });
    expect(describeChanges(changes, 7)).toBe(
      'import row 7: moved to CN/CN-E from 2026-07-01; street 310105001 from 2026-07-01',
    );
  });

  it('refuses a move dated before the current membership began', () => {
    const { problems } = diffEnterprise(
      { ...same, subParkCode: 'PT-SUHE', validFrom: '2024-12-31' },
      everything,
      current,
    );
    expect(problems).toEqual([expect.objectContaining({ field: 'validFrom', code: 'IMPORT.VALID_FROM_TOO_EARLY' })]);
  });

  it('re-admits an enterprise that left only after its last membership ended', () => {
    const left: EnterpriseState = { ...current, memberships: [{ ...current.memberships[0]!, validTo: '2025-12-31' }] };
    expect(diffEnterprise({ ...same, validFrom: '2025-12-31' }, everything, left).problems).toHaveLength(1);
    const rejoin = diffEnterprise({ ...same, validFrom: '2026-01-01' }, everything, left);
    expect(rejoin.problems).toEqual([]);
    expect(rejoin.changes.membership).toEqual({
      parkCode: 'PT',
      subParkCode: 'PT-CHANGFENG',
      carrierCode: null,
      validFrom: '2026-01-01',
    });
  });

  it('lists changed details and replaces differing qualification and scope records', () => {
    const { changes } = diffEnterprise(
      {
        ...same,
        nameZh: '上海示例人工智能有限公司',
        contact: { ...same.contact, phone: '13812345678' },
        industryTags: ['AI'],
        qualifications: [
          ...same.qualifications!,
          { tag: 'SRDI', validFrom: '2025-03-01', validTo: null, certificateNo: null },
        ],
        scope: [{ formId: 'torch-annual', validFrom: '2025-01-01', validTo: null }],
      },
      everything,
      current,
    );
    expect(changeLabels(changes)).toEqual(['nameZh', 'contact', 'industryTags', 'qualifications', 'scope']);
    expect(changes.qualifications).toHaveLength(2);
  });

  it('leaves alone what the file does not state', () => {
    const withCarrier: EnterpriseState = {
      ...current,
      memberships: [{ ...current.memberships[0]!, carrierCode: 'PT-C01' }],
    };
    const { changes } = diffEnterprise(
      { ...same, qualifications: [], industryTags: [], scope: [] },
      { carrierCode: false, qualifications: false, industryTags: false, scope: false },
      withCarrier,
    );
    expect(hasChanges(changes)).toBe(false);
  });
});
