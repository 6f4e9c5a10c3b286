import { USCC_CHARSET, computeUsccCheckCharacter } from '@huoju/domain';
import {
  type Carrier,
  type Park,
  type SubPark,
  carriers,
  districts,
  hasIndustryPrefix,
  industryNodes,
  industryTags,
  parks,
  qualificationTags,
  sectionOf,
  subParks,
} from '@huoju/domain';
import {
  GENERAL_DIVISION_WEIGHTS,
  GIVEN_NAME_CHARACTERS,
  INDUSTRY_WORDS,
  SURNAMES,
  TRADE_NAME_CHARACTERS,
} from './roster-vocabulary.data';
import { type SeededRandom, cumulative, seededRandom } from './seeded-random.util';

// Generates a realistic, reproducible roster of park enterprises for tests, benches and demo seeds.

export interface GeneratedQualification {
  tag: string;
  validFrom: string;
  validTo?: string;
  certificateNo?: string;
}

export interface GeneratedScope {
  formId: 'torch-monthly' | 'torch-annual';
  validFrom: string;
  validTo?: string;
}

export interface GeneratedEnterprise {
  /** Valid USCC, category '91', region = the registered Shanghai district; unique within the roster. */
  uscc: string;
  /** 上海 + 字号 + 行业词 + 有限公司/股份有限公司; unique within the roster. */
  nameZh: string;
  /** GB/T 4754-2017 class with section letter, e.g. 'I6513'. */
  industryCode: string;
  registeredDistrict: string;
  /** Operating street/town (街镇) inside the sub-park. */
  streetCode: string;
  parkCode: string;
  subParkCode: string;
  carrierCode?: string;
  qualifications: GeneratedQualification[];
  industryTags: string[];
  scope: GeneratedScope[];
  contact: { name: string; phone: string; email: string };
}

export interface GenerateRosterOptions {
  size: number;
  seed: number;
  /** Reporting year the roster is set in; default 2026. */
  year?: number;
}

const DEFAULT_YEAR = 2026;
const LEADING_TAGS = ['IC', 'BIOMED', 'AI'] as const;
// The four seed parks and the core park carry most of the test traffic.
const PARK_WEIGHTS: Readonly<Record<string, number>> = { CORE: 12, CN: 8, PT: 8, HK: 8, XC: 6 };
const OTHER_PARK_WEIGHT = 3;
const MA_SPACE = 31 ** 7;
const NUMERIC_SPACE = 10 ** 8;
// Multipliers coprime with the spaces make index → 主体标识码 a bijection, so USCCs never collide.
const MA_MULTIPLIER = 917_503;
const NUMERIC_MULTIPLIER = 48_271;
const ORG_CODE_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2] as const;

interface ParkPlan {
  park: Park;
  subParks: readonly SubPark[];
  carriersBySubPark: ReadonlyMap<string, readonly Carrier[]>;
  leadTags: readonly string[];
  featuredTags: readonly string[];
  allowedTags: readonly string[];
}

interface Catalogue {
  plans: readonly ParkPlan[];
  planWeights: readonly number[];
  tagPools: ReadonlyMap<string, readonly string[]>;
  generalPools: readonly (readonly string[])[];
  generalWeights: readonly number[];
  districtCodes: readonly string[];
  tagPrefixes: ReadonlyMap<string, readonly string[]>;
  qualificationOrder: ReadonlyMap<string, number>;
}

let cachedCatalogue: Catalogue | undefined;

export function generateRoster(options: GenerateRosterOptions): GeneratedEnterprise[] {
  return [...iterateRoster(options)];
}

/** Same enterprises as `generateRoster`, one at a time, for callers that stream into a database. */
export function* iterateRoster(options: GenerateRosterOptions): Generator<GeneratedEnterprise> {
  const { size, seed } = options;
  const year = options.year ?? DEFAULT_YEAR;
  if (!Number.isInteger(size) || size < 0) throw new RangeError(`size must be a non-negative integer, got ${size}`);
  if (size > NUMERIC_SPACE) throw new RangeError(`size must not exceed ${NUMERIC_SPACE}`);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);

  const catalogue = (cachedCatalogue ??= buildCatalogue());
  const random = seededRandom(seed);
  const maOffset = Math.floor(random.next() * MA_SPACE);
  const numericOffset = random.int(NUMERIC_SPACE);
  const names = new Set<string>();
  const tagCache = new Map<string, readonly string[]>();

  for (let index = 0; index < size; index++) {
    const plan = catalogue.plans[random.weightedIndex(catalogue.planWeights)];
    const sub = random.pick(plan.subParks);
    const streetCode = random.pick(sub.streetCodes);
    // The first six digits of a 街镇 code are its district.
    const streetDistrict = streetCode.slice(0, 6);
    const registeredDistrict = random.chance(0.9) ? streetDistrict : random.pick(catalogue.districtCodes);

    const industryCode = drawIndustry(random, plan, catalogue);
    const tagKey = `${plan.park.code}|${industryCode}`;
    let tags = tagCache.get(tagKey);
    if (tags === undefined) {
      tags = plan.allowedTags.filter((tag) => hasIndustryPrefix(industryCode, catalogue.tagPrefixes.get(tag) ?? []));
      tagCache.set(tagKey, tags);
    }

    const qualifications = drawQualifications(random, year, industryCode, catalogue);
    const listed = qualifications.some((qualification) => qualification.tag === 'LISTED');
    const body = random.chance(0.25)
      ? numericOrgCode((index * NUMERIC_MULTIPLIER + numericOffset) % NUMERIC_SPACE)
      : 'MA' + base31((index * MA_MULTIPLIER + maOffset) % MA_SPACE, 7);
    const first17 = '91' + registeredDistrict + body;
    const uscc = first17 + computeUsccCheckCharacter(first17);

    const candidates = plan.carriersBySubPark.get(sub.code) ?? [];
    const carrierCode = candidates.length > 0 && random.chance(0.35) ? random.pick(candidates).code : undefined;

    const enterprise: GeneratedEnterprise = {
      uscc,
      nameZh: uniqueName(random, names, industryCode, listed, index),
      industryCode,
      registeredDistrict,
      streetCode,
      parkCode: plan.park.code,
      subParkCode: sub.code,
      qualifications,
      industryTags: [...tags],
      scope: drawScope(random, year),
      contact: drawContact(random, body),
    };
    if (carrierCode !== undefined) enterprise.carrierCode = carrierCode;
    yield enterprise;
  }
}

function buildCatalogue(): Catalogue {
  const classes = industryNodes()
    .filter((node) => node.level === 'class')
    .map((node) => `${sectionOf(node.code) ?? ''}${node.code}`);
  const classesWithPrefix = (prefixes: readonly string[]): string[] =>
    classes.filter((code) => prefixes.some((prefix) => code.startsWith(prefix, 1)));

  const tagPrefixes = new Map(industryTags().map((tag) => [tag.code, tag.gbtPrefixes]));
  const tagPools = new Map(industryTags().map((tag) => [tag.code, classesWithPrefix(tag.gbtPrefixes)]));

  const plans: ParkPlan[] = [];
  const weights: number[] = [];
  for (const park of parks()) {
    const usable = subParks(park.code).filter((sub) => sub.streetCodes.length > 0);
    // The unconfirmed placeholder park has no area, so no enterprise can be placed in it.
    if (!park.confirmed || usable.length === 0) continue;
    const carriersBySubPark = new Map<string, Carrier[]>();
    for (const sub of usable) {
      carriersBySubPark.set(
        sub.code,
        carriers(park.code).filter((carrier) => carrier.subParkCode === undefined || carrier.subParkCode === sub.code),
      );
    }
    const featuredTags = [...park.featuredIndustries, ...(park.futureIndustries ?? [])];
    plans.push({
      park,
      subParks: usable,
      carriersBySubPark,
      leadTags: park.leadIndustries,
      featuredTags,
      allowedTags: [...new Set([...LEADING_TAGS, ...park.leadIndustries, ...featuredTags])],
    });
    weights.push(PARK_WEIGHTS[park.code] ?? OTHER_PARK_WEIGHT);
  }

  const generalDivisions = Object.keys(GENERAL_DIVISION_WEIGHTS);
  const qualificationOrder = new Map(qualificationTags().map((tag, position) => [tag.code, position]));
  return {
    plans,
    planWeights: cumulative(weights),
    tagPools,
    generalPools: generalDivisions.map((division) => classesWithPrefix([division])),
    generalWeights: cumulative(generalDivisions.map((division) => GENERAL_DIVISION_WEIGHTS[division] ?? 0)),
    districtCodes: districts().map((district) => district.code),
    tagPrefixes,
    qualificationOrder,
  };
}

function drawIndustry(random: SeededRandom, plan: ParkPlan, catalogue: Catalogue): string {
  const roll = random.next();
  let tag: string | undefined;
  if (plan.leadTags.length > 0) {
    if (roll < 0.4) tag = random.pick(plan.leadTags);
    else if (roll < 0.55) tag = random.pick(plan.featuredTags.length > 0 ? plan.featuredTags : plan.leadTags);
    else if (roll < 0.7) tag = random.pick(LEADING_TAGS);
  } else if (roll < 0.35) {
    tag = random.pick(LEADING_TAGS);
  }
  const pool = tag === undefined ? undefined : catalogue.tagPools.get(tag);
  if (pool !== undefined && pool.length > 0) return random.pick(pool);
  return random.pick(catalogue.generalPools[random.weightedIndex(catalogue.generalWeights)]);
}

function drawQualifications(
  random: SeededRandom,
  year: number,
  industryCode: string,
  catalogue: Catalogue,
): GeneratedQualification[] {
  const result: GeneratedQualification[] = [];
  // 高企 cluster in manufacturing, IT and R&D; the mix lands near 30% overall.
  const techHeavy = 'CIM'.includes(industryCode.charAt(0));
  if (random.chance(techHeavy ? 0.36 : 0.12)) {
    // About one in eight certificates has lapsed, so expiry logic gets exercised.
    const issueYear = random.chance(0.12) ? year - random.between(4, 5) : year - random.between(1, 3);
    const validFrom = isoDate(issueYear, random.between(10, 12), random.between(1, 28));
    result.push({
      tag: 'HNTE',
      validFrom,
      validTo: plusYearsMinusDay(validFrom, 3),
      certificateNo: `GR${issueYear}31${String(random.int(1_000_000)).padStart(6, '0')}`,
    });
  }
  if (random.chance(0.12)) {
    const validFrom = isoDate(year - random.between(1, 3), random.between(1, 12), random.between(1, 28));
    result.push({ tag: 'SRDI', validFrom, validTo: plusYearsMinusDay(validFrom, 3) });
    if (random.chance(0.15)) {
      const giantFrom = isoDate(year - random.between(1, 3), random.between(6, 9), random.between(1, 28));
      result.push({ tag: 'LITTLE_GIANT', validFrom: giantFrom, validTo: plusYearsMinusDay(giantFrom, 3) });
    }
  }
  if (random.chance(0.03)) result.push({ tag: 'GAZELLE', validFrom: isoDate(year - random.between(1, 2), 6, 30) });
  if (random.chance(0.015)) result.push({ tag: 'LISTED', validFrom: isoDate(year - random.between(1, 15), 1, 1) });
  if (random.chance(0.005)) result.push({ tag: 'HIDDEN_CHAMPION', validFrom: isoDate(year - 1, 12, 1) });
  if (random.chance(0.003)) result.push({ tag: 'UNICORN', validFrom: isoDate(year - 1, 3, 1) });
  const order = catalogue.qualificationOrder;
  return result.sort((a, b) => (order.get(a.tag) ?? 0) - (order.get(b.tag) ?? 0));
}

function drawScope(random: SeededRandom, year: number): GeneratedScope[] {
  const from = `${year - 1}-01-01`;
  const roll = random.next();
  if (roll < 0.85) {
    return [
      { formId: 'torch-monthly', validFrom: from },
      { formId: 'torch-annual', validFrom: from },
    ];
  }
  if (roll < 0.93) return [{ formId: 'torch-annual', validFrom: from }];
  if (roll < 0.97) {
    const joined = `${year - 1}-07-01`;
    return [
      { formId: 'torch-monthly', validFrom: joined },
      { formId: 'torch-annual', validFrom: joined },
    ];
  }
  // Left the park at the end of the previous year.
  const left = `${year - 1}-12-31`;
  return [
    { formId: 'torch-monthly', validFrom: from, validTo: left },
    { formId: 'torch-annual', validFrom: from, validTo: left },
  ];
}

function drawContact(random: SeededRandom, usccBody: string): GeneratedEnterprise['contact'] {
  const [surname, pinyin] = random.pick(SURNAMES);
  const givenLength = random.chance(0.7) ? 2 : 1;
  let given = '';
  for (let i = 0; i < givenLength; i++) given += random.pick(GIVEN_NAME_CHARACTERS);
  const phone = random.chance(0.6)
    ? `1${random.pick(['3', '5', '7', '8', '9'])}${String(random.int(1_000_000_000)).padStart(9, '0')}`
    : `021-${random.between(2, 6)}${String(random.int(10_000_000)).padStart(7, '0')}`;
  return {
    name: surname + given,
    phone,
    email: `${pinyin}${random.between(10, 999)}@${usccBody.toLowerCase()}.example.com`,
  };
}

function uniqueName(
  random: SeededRandom,
  taken: Set<string>,
  industryCode: string,
  listed: boolean,
  index: number,
): string {
  const words = industryWords(industryCode);
  const suffix = listed || random.chance(0.05) ? '股份有限公司' : '有限公司';
  for (let attempt = 0; attempt < 12; attempt++) {
    const length = attempt < 4 && random.chance(0.75) ? 2 : 3;
    const name = `上海${tradeName(random, length)}${random.pick(words)}${suffix}`;
    if (!taken.has(name)) {
      taken.add(name);
      return name;
    }
  }
  // Practically unreachable: a four-character trade name built from the index is unique.
  const name = `上海${tradeNameFromIndex(index)}${words[0] ?? '科技'}${suffix}`;
  taken.add(name);
  return name;
}

function industryWords(industryCode: string): readonly string[] {
  const digits = industryCode.slice(1);
  for (const key of [digits, digits.slice(0, 3), digits.slice(0, 2), industryCode.charAt(0)]) {
    const words = INDUSTRY_WORDS[key];
    if (words !== undefined) return words;
  }
  return ['科技'];
}

const TRADE_CHARACTERS = [...new Set(TRADE_NAME_CHARACTERS)];

function tradeName(random: SeededRandom, length: number): string {
  let name = random.pick(TRADE_CHARACTERS);
  while (name.length < length) {
    const next = random.pick(TRADE_CHARACTERS);
    if (next !== name.at(-1)) name += next;
  }
  return name;
}

function tradeNameFromIndex(index: number): string {
  let value = index;
  let name = '';
  for (let i = 0; i < 4; i++) {
    name += TRADE_CHARACTERS[value % TRADE_CHARACTERS.length];
    value = Math.floor(value / TRADE_CHARACTERS.length);
  }
  return name;
}

function base31(value: number, width: number): string {
  let remaining = value;
  let out = '';
  for (let i = 0; i < width; i++) {
    out = USCC_CHARSET.charAt(remaining % 31) + out;
    remaining = Math.floor(remaining / 31);
  }
  return out;
}

/** An old-style 9-character organisation code (GB 11714): 8 digits + check character. */
function numericOrgCode(value: number): string {
  const digits = String(value).padStart(8, '0');
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += Number(digits.charAt(i)) * ORG_CODE_WEIGHTS[i];
  const check = 11 - (sum % 11);
  return digits + (check === 11 ? '0' : check === 10 ? 'X' : String(check));
}

function isoDate(year: number, month: number, day: number): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function plusYearsMinusDay(isoFrom: string, years: number): string {
  const [y, m, d] = isoFrom.split('-').map(Number) as [number, number, number];
  const end = new Date(Date.UTC(y + years, m - 1, d - 1));
  return end.toISOString().slice(0, 10);
}
