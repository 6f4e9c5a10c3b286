import districtsJson from './data/districts.gbt2260.json';
import industryTagsJson from './data/industry-tags.json';
import parksJson from './data/parks.json';
import qualificationTagsJson from './data/qualification-tags.json';
import streetTowns2023Json from './data/street-towns.2023.json';
import targetsJson from './data/targets.json';
import {
  type Carrier,
  type District,
  type IndustryTag,
  type Park,
  type ParkCatalog,
  type QualificationTag,
  type StreetTown,
  type SubPark,
  type Target,
  type TargetCatalog,
  type Zone,
} from './reference.types';

// The zone's reference registers (一区22园, 街镇, tags, targets) as pure lookups over ./data.

const catalog = parksJson as ParkCatalog;
const districtList = districtsJson as District[];
const industryTagList = industryTagsJson as IndustryTag[];
const qualificationTagList = qualificationTagsJson as QualificationTag[];
const targetCatalog = targetsJson as TargetCatalog;

// One list per NBS code year; add a file and a line here when a new year is published.
const streetTownLists = new Map<number, readonly StreetTown[]>([[2023, streetTowns2023Json as StreetTown[]]]);
const streetTownYears = [...streetTownLists.keys()].sort((a, b) => a - b);

const parkByCode = indexBy(catalog.parks, (park) => park.code);
const subParkByCode = indexBy(catalog.subParks, (subPark) => subPark.code);
const carrierByCode = indexBy(catalog.carriers, (carrier) => carrier.code);
const districtByCode = indexBy(districtList, (district) => district.code);
const industryTagByCode = indexBy(industryTagList, (tag) => tag.code);
const qualificationTagByCode = indexBy(qualificationTagList, (tag) => tag.code);
const targetById = indexBy(targetCatalog.targets, (target) => target.id);

export function zone(): Zone {
  return catalog.zone;
}

export function parks(): readonly Park[] {
  return catalog.parks;
}

export function park(code: string): Park | undefined {
  return parkByCode.get(code);
}

export function subParks(parkCode?: string): readonly SubPark[] {
  return parkCode === undefined ? catalog.subParks : catalog.subParks.filter((sub) => sub.parkCode === parkCode);
}

export function subPark(code: string): SubPark | undefined {
  return subParkByCode.get(code);
}

export function carriers(parkCode?: string): readonly Carrier[] {
  return parkCode === undefined
    ? catalog.carriers
    : catalog.carriers.filter((carrier) => carrier.parkCode === parkCode);
}

export function carrier(code: string): Carrier | undefined {
  return carrierByCode.get(code);
}

export function districts(): readonly District[] {
  return districtList;
}

export function district(code: string): District | undefined {
  return districtByCode.get(code);
}

/** Years for which a street/town (街镇) code list is held. */
export function streetTownYearsAvailable(): readonly number[] {
  return streetTownYears;
}

/**
 * The latest street/town list published in or before `year` (default: the latest held). Codes change
 * when streets merge, so a filing for year Y is checked against the list in force for Y; an empty
 * array means no list is held that early.
 */
export function streetTowns(year?: number): readonly StreetTown[] {
  const listYear =
    year === undefined ? streetTownYears.at(-1) : streetTownYears.filter((candidate) => candidate <= year).at(-1);
  return listYear === undefined ? [] : (streetTownLists.get(listYear) ?? []);
}

/** A street/town by its 9-digit code, from the list for `year` (default: the latest). */
export function streetTown(code: string, year?: number): StreetTown | undefined {
  return streetTowns(year).find((candidate) => candidate.code === code);
}

export function industryTags(): readonly IndustryTag[] {
  return industryTagList;
}

export function industryTag(code: string): IndustryTag | undefined {
  return industryTagByCode.get(code);
}

export function qualificationTags(): readonly QualificationTag[] {
  return qualificationTagList;
}

export function qualificationTag(code: string): QualificationTag | undefined {
  return qualificationTagByCode.get(code);
}

export function targets(): readonly Target[] {
  return targetCatalog.targets;
}

export function target(id: string): Target | undefined {
  return targetById.get(id);
}

/** Version of the target catalogue, e.g. '2026.1'. */
export function targetsVersion(): string {
  return targetCatalog.version;
}

function indexBy<T>(items: readonly T[], key: (item: T) => string): ReadonlyMap<string, T> {
  return new Map(items.map((item) => [key(item), item]));
}
