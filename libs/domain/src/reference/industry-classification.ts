import industriesJson from './data/industries.gbt4754-2017.json';
import { type IndustryLevel, type IndustryNode } from './reference.types';

// GB/T 4754-2017 (with amendment 1, 2019): 行业分类. Enterprise codes are written as section letter
// + 2–4 digits ('I6513', 'C39') or digits only ('6513'), and are checked against the tree in ./data.

export type IndustryIssueCode =
  | 'INDUSTRY.FORMAT'
  | 'INDUSTRY.UNKNOWN_SECTION'
  | 'INDUSTRY.UNKNOWN_DIVISION'
  | 'INDUSTRY.UNKNOWN_GROUP'
  | 'INDUSTRY.UNKNOWN_CLASS'
  | 'INDUSTRY.SECTION_MISMATCH';

export interface IndustryCodeIssue {
  code: IndustryIssueCode;
  messageZh: string;
  messageEn: string;
}

export interface IndustryCodeCheck {
  valid: boolean;
  /** Section letter + digits, e.g. 'I6513'; only set when valid. */
  normalized?: string;
  section?: string;
  division?: string;
  /** The deepest level the data could confirm. */
  matchedLevel?: IndustryLevel;
  issue?: IndustryCodeIssue;
}

const nodes = industriesJson as IndustryNode[];
const byCode = new Map<string, IndustryNode>(nodes.map((node) => [node.code, node]));
const childCount = new Map<string, number>();
for (const node of nodes) {
  if (node.parent !== undefined) childCount.set(node.parent, (childCount.get(node.parent) ?? 0) + 1);
}

const CODE_PATTERN = /^([A-Z])?(\d{2,4})$/;

/** All nodes of the tree, sections first within each branch (document order). */
export function industryNodes(): readonly IndustryNode[] {
  return nodes;
}

/** The node for a bare code ('I', '65', '651', '6513'), or a lettered code ('I6513'). */
export function industryNode(code: string): IndustryNode | undefined {
  const normalized = code.trim().toUpperCase();
  const direct = byCode.get(normalized);
  if (direct) return direct;
  const match = CODE_PATTERN.exec(normalized);
  if (!match?.[1] || !match[2]) return undefined;
  const node = byCode.get(match[2]);
  // A lettered code only names a node when the letter is that node's section.
  return node && sectionOf(match[2]) === match[1] ? node : undefined;
}

export function industryName(code: string): string | undefined {
  return industryNode(code)?.nameZh;
}

/** Section letter of a code ('6513' → 'I'); undefined when the division is unknown. */
export function sectionOf(code: string): string | undefined {
  const normalized = code.trim().toUpperCase();
  const node = byCode.get(normalized);
  if (node?.level === 'section') return node.code;
  const match = CODE_PATTERN.exec(normalized);
  if (!match?.[2]) return undefined;
  const division = byCode.get(match[2].slice(0, 2));
  if (division?.level !== 'division' || division.parent === undefined) return undefined;
  if (match[1] !== undefined && match[1] !== division.parent) return undefined;
  return division.parent;
}

/** Two-digit division of a code ('I6513' → '65'); undefined when unknown. */
export function divisionOf(code: string): string | undefined {
  const match = CODE_PATTERN.exec(code.trim().toUpperCase());
  if (!match?.[2]) return undefined;
  const division = match[2].slice(0, 2);
  return byCode.get(division)?.level === 'division' ? division : undefined;
}

/** True when the code's digits start with one of the prefixes (codes without section letter). */
export function hasIndustryPrefix(code: string, prefixes: readonly string[]): boolean {
  const match = CODE_PATTERN.exec(code.trim().toUpperCase());
  const digits = match?.[2];
  return digits !== undefined && prefixes.some((prefix) => digits.startsWith(prefix));
}

/**
 * Checks an enterprise industry code against the longest prefix the data has. Where the data lacks
 * groups or classes under a node, deeper digits are accepted and `matchedLevel` says how far it got.
 */
export function validateIndustryCode(code: string): IndustryCodeCheck {
  const input = code.trim().toUpperCase();
  const match = CODE_PATTERN.exec(input);
  if (!match?.[2]) return invalid(formatIssue(input));
  const letter = match[1];
  const digits = match[2];

  const division = digits.slice(0, 2);
  const divisionNode = byCode.get(division);
  if (divisionNode?.level !== 'division' || divisionNode.parent === undefined) {
    return invalid(unknownIssue('INDUSTRY.UNKNOWN_DIVISION', division, '大类', 'division'));
  }
  const section = divisionNode.parent;
  if (letter !== undefined && letter !== section) {
    return invalid(letterIssue(letter, division, section), section, division);
  }

  let matchedLevel: IndustryLevel = 'division';
  if (digits.length >= 3 && hasChildren(division)) {
    const group = digits.slice(0, 3);
    if (!byCode.has(group)) {
      return invalid(unknownIssue('INDUSTRY.UNKNOWN_GROUP', group, '中类', 'group'), section, division);
    }
    matchedLevel = 'group';
    if (digits.length === 4 && hasChildren(group)) {
      if (!byCode.has(digits)) {
        return invalid(unknownIssue('INDUSTRY.UNKNOWN_CLASS', digits, '小类', 'class'), section, division);
      }
      matchedLevel = 'class';
    }
  }
  return { valid: true, normalized: section + digits, section, division, matchedLevel };
}

function hasChildren(code: string): boolean {
  return (childCount.get(code) ?? 0) > 0;
}

function invalid(issue: IndustryCodeIssue, section?: string, division?: string): IndustryCodeCheck {
  return { valid: false, section, division, issue };
}

function formatIssue(input: string): IndustryCodeIssue {
  return {
    code: 'INDUSTRY.FORMAT',
    messageZh: `行业代码“${input}”格式不正确：应为门类字母加2–4位数字（如 I6513、C39），或2–4位数字（如 6513）。`,
    messageEn: `Industry code "${input}" is malformed: write a section letter plus 2–4 digits (e.g. I6513, C39) or 2–4 digits (e.g. 6513).`,
  };
}

function unknownIssue(code: IndustryIssueCode, digits: string, levelZh: string, levelEn: string): IndustryCodeIssue {
  return {
    code,
    messageZh: `GB/T 4754-2017 中没有${levelZh}“${digits}”，请按《国民经济行业分类》核对企业的行业代码。`,
    messageEn: `GB/T 4754-2017 has no ${levelEn} "${digits}"; check the enterprise's industry code against the classification.`,
  };
}

function letterIssue(letter: string, division: string, section: string): IndustryCodeIssue {
  if (!byCode.has(letter)) {
    return {
      code: 'INDUSTRY.UNKNOWN_SECTION',
      messageZh: `门类“${letter}”不存在（门类为 A–T）；大类 ${division} 属于门类 ${section}，请改为 ${section}${division}…。`,
      messageEn: `Section "${letter}" does not exist (sections are A–T); division ${division} belongs to section ${section}, so write ${section}${division}….`,
    };
  }
  return {
    code: 'INDUSTRY.SECTION_MISMATCH',
    messageZh: `门类字母“${letter}”与大类 ${division} 不符：大类 ${division} 属于门类 ${section}，请改为 ${section}${division}…。`,
    messageEn: `Section letter "${letter}" does not match division ${division}, which belongs to section ${section}; write ${section}${division}….`,
  };
}
