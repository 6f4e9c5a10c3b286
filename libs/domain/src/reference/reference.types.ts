// Shapes of the reference data in ./data. The JSON files are the source of truth; these types
// describe them so callers never see raw JSON.

/** 门类 / 大类 / 中类 / 小类 of GB/T 4754-2017. */
export type IndustryLevel = 'section' | 'division' | 'group' | 'class';

/** One node of the GB/T 4754-2017 tree (行业分类). */
export interface IndustryNode {
  /** 'I' for a section, '65' division, '651' group, '6513' class. */
  code: string;
  level: IndustryLevel;
  nameZh: string;
  /** Only sections carry an English name. */
  nameEn?: string;
  /** Section letter for a division, division code for a group, group code for a class. */
  parent?: string;
}

/** A Shanghai district (区) with its GB/T 2260 code. */
export interface District {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** Kind of a township-level unit, from digits 7–9 of the 统计用区划代码. */
export type StreetTownKind = 'street' | 'town' | 'township' | 'other';

/** A street or town (街镇), versioned by the year of the NBS code list. */
export interface StreetTown {
  /** 9 digits: district code + 3-digit township code. */
  code: string;
  districtCode: string;
  nameZh: string;
  kind: StreetTownKind;
  year: number;
}

export interface Zone {
  code: string;
  nameZh: string;
  nameEn: string;
}

/** A park (园) of the zone, "一区22园". */
export interface Park {
  code: string;
  nameZh: string;
  nameEn: string;
  districtCodes: string[];
  /** Industry tag codes of the park's 主导产业. */
  leadIndustries: string[];
  /** Industry tag codes of the park's 特色产业. */
  featuredIndustries: string[];
  /** Industry tag codes of the park's 未来产业, where the seed names any. */
  futureIndustries?: string[];
  /** False for the placeholder 22nd park, whose name is not confirmed. */
  confirmed: boolean;
  source: string;
  note?: string;
}

/** A sub-park (子园 / 片区) of a park. Every park has at least one. */
export interface SubPark {
  code: string;
  parkCode: string;
  nameZh: string;
  nameEn: string;
  /** 9-digit street/town codes the sub-park covers. */
  streetCodes: string[];
  source: string;
  note?: string;
}

/** A carrier (载体): a building, incubator or campus that hosts firms. */
export interface Carrier {
  code: string;
  parkCode: string;
  subParkCode?: string;
  nameZh: string;
  source: string;
  note?: string;
}

export interface ParkCatalog {
  zone: Zone;
  parks: Park[];
  subParks: SubPark[];
  carriers: Carrier[];
}

/** An industry tag such as a leading industry (先导产业) or a park's lead/featured industry. */
export interface IndustryTag {
  code: string;
  nameZh: string;
  nameEn: string;
  /** True for the three leading industries (IC, biomedicine, AI). */
  leading: boolean;
  /** GB/T 4754 codes (without section letter) that typically fall under the tag; best effort. */
  gbtPrefixes: string[];
  source: string;
}

/** A qualification (资质) an enterprise can hold, e.g. 高新技术企业. */
export interface QualificationTag {
  code: string;
  nameZh: string;
  nameEn: string;
  /** How long a certificate is usually valid, where the qualification expires. */
  validityYears?: number;
}

/** Torch indicator codes the targets use (annual form GQ-002/003/005). */
export type TorchIndicator = 'qc05_0' | 'qc02' | 'qj20' | 'qj55_2' | 'qd01';

/** Which enterprises a metric covers. Industry tags match ANY, qualification tags ANY, prefixes ANY. */
export interface EnterpriseFilter {
  industryTags?: string[];
  qualificationTags?: string[];
  /** GB/T 4754 codes without the section letter, e.g. '65'. */
  industryPrefixes?: string[];
}

export interface IndicatorSelection {
  indicator: TorchIndicator;
  filter?: EnterpriseFilter;
}

export interface SumMetric {
  kind: 'sum';
  indicator: TorchIndicator;
  filter?: EnterpriseFilter;
}

/** Σ numerator / Σ denominator, expressed in %. */
export interface RatioMetric {
  kind: 'ratio';
  numerator: IndicatorSelection;
  denominator: IndicatorSelection;
}

export interface CountMetric {
  kind: 'count';
  filter: EnterpriseFilter;
}

/** A target the Torch filings cannot measure; kept so the plan stays complete. */
export interface ExternalMetric {
  kind: 'external';
  reason: string;
}

export type TargetMetric = SumMetric | RatioMetric | CountMetric | ExternalMetric;

export type TargetComparator = '>=' | '>' | '<=';

/** Money in 千元 as on the Torch forms; 个 and 平方米 only occur on external targets. */
export type TargetUnit = '%' | '千元' | '家' | '件' | '人' | '个' | '平方米';

export type TorchFormId = 'torch-monthly' | 'torch-annual';

/** A quantitative target from a park's action plan (行动方案). */
export interface Target {
  id: string;
  /** 'ZJ' for zone-wide targets. */
  parkCode: string;
  titleZh: string;
  titleEn: string;
  year: number;
  form: TorchFormId;
  metric: TargetMetric;
  comparator: TargetComparator;
  /** Decimal string in `unit`. */
  value: string;
  unit: TargetUnit;
  /** How the source document states it, e.g. { value: '700', unit: '亿元' }. */
  display: { value: string; unit: string };
  source: string;
  note?: string;
}

export interface TargetCatalog {
  version: string;
  targets: Target[];
}
