import {
  carrier,
  district,
  industryName,
  industryTag,
  park,
  qualificationTag,
  streetTown,
  subPark,
  zone,
} from '@huoju/domain';

/** A member's name as users know it (Chinese), for the API and the CSV. */
export function memberName(dimension: string, code: string): string | null {
  switch (dimension) {
    case 'zone':
      return zone().nameZh;
    case 'park':
      return park(code)?.nameZh ?? null;
    case 'subPark':
      return subPark(code)?.nameZh ?? null;
    case 'carrier':
      return carrier(code)?.nameZh ?? null;
    case 'district':
      return district(code)?.nameZh ?? null;
    case 'street':
      return streetTown(code)?.nameZh ?? null;
    case 'section':
    case 'division':
      return industryName(code) ?? null;
    case 'industryTag':
      return industryTag(code)?.nameZh ?? null;
    case 'qualification':
      return qualificationTag(code)?.nameZh ?? null;
    default:
      return null;
  }
}
