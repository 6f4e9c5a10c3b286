/**
 * The dimensions figures are rolled up by (issue: zone, park, sub-park, carrier, district, street/town,
 * GB/T 4754 section and division, industry tags, qualification tags). Each maps to a column (or an array
 * column, unnested) of the attributed-members table the roll-up builds. The zone is the sum of parks.
 */
export interface Dimension {
  readonly name: DimensionName;
  /** SQL over the members table yielding the member code; arrays are unnested. */
  readonly column: string;
  readonly array?: boolean;
}

export type DimensionName =
  | 'park'
  | 'subPark'
  | 'carrier'
  | 'district'
  | 'street'
  | 'section'
  | 'division'
  | 'industryTag'
  | 'qualification';

export const DIMENSIONS: readonly Dimension[] = [
  { name: 'park', column: 'park_code' },
  { name: 'subPark', column: 'sub_park_code' },
  { name: 'carrier', column: 'carrier_code' },
  { name: 'district', column: 'registered_district' },
  { name: 'street', column: 'street_code' },
  { name: 'section', column: 'section' },
  { name: 'division', column: 'division' },
  { name: 'industryTag', column: 'industry_tags', array: true },
  { name: 'qualification', column: 'qualifications', array: true },
];

export const DIMENSION_NAMES = DIMENSIONS.map((d) => d.name);

export function isDimensionName(value: string): value is DimensionName {
  return (DIMENSION_NAMES as string[]).includes(value);
}

/** `SELECT <member>, <rest>` over `source` for one dimension, skipping enterprises without a member. */
export function memberSelect(dimension: Dimension, source: string, rest: string, groupBy: string): string {
  if (dimension.array) {
    return `SELECT '${dimension.name}' AS dimension, member, ${rest} FROM ${source}, unnest(${dimension.column}) AS member GROUP BY member${groupBy ? `, ${groupBy}` : ''}`;
  }
  return `SELECT '${dimension.name}' AS dimension, ${dimension.column} AS member, ${rest} FROM ${source} WHERE ${dimension.column} IS NOT NULL GROUP BY ${dimension.column}${groupBy ? `, ${groupBy}` : ''}`;
}
