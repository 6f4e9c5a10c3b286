import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

/** The functions with the most self time in a V8 .cpuprofile, with their share of all samples. */
export function topFunctions(file: string, count = 12): { name: string; where: string; selfPercent: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const byFunction = new Map<string, { name: string; where: string; time: number }>();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (time === 0) continue;
    const name = node.callFrame.functionName || '(anonymous)';
    const where = node.callFrame.url ? `${shorten(node.callFrame.url)}:${node.callFrame.lineNumber + 1}` : '';
    const key = `${name}@${where}`;
    const entry = byFunction.get(key) ?? { name, where, time: 0 };
    entry.time += time;
    byFunction.set(key, entry);
  }
  return [...byFunction.values()]
    .sort((a, b) => b.time - a.time)
    .slice(0, count)
    .map((entry) => ({
      name: entry.name,
      where: entry.where,
      selfPercent: Math.round((entry.time / total) * 1000) / 10,
    }));
}

/** Self time grouped by package (node_modules/<pkg>) or by our own code, to say where the time goes. */
export function timeByPackage(file: string): { area: string; selfPercent: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const self = new Map<number, number>();
  profile.samples.forEach((id, index) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const total = [...self.values()].reduce((a, b) => a + b, 0) || 1;
  const areas = new Map<string, number>();
  for (const node of profile.nodes) {
    const time = self.get(node.id) ?? 0;
    if (time === 0) continue;
    areas.set(
      areaOf(node.callFrame.url, node.callFrame.functionName),
      (areas.get(areaOf(node.callFrame.url, node.callFrame.functionName)) ?? 0) + time,
    );
  }
  return [...areas.entries()]
    .map(([area, time]) => ({ area, selfPercent: Math.round((time / total) * 1000) / 10 }))
    .sort((a, b) => b.selfPercent - a.selfPercent)
    .slice(0, 12);
}

function areaOf(url: string, name: string): string {
  if (!url) return name === '(idle)' || name === '(program)' || name === '(garbage collector)' ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return 'node core';
  const ours = /dist\/(apps|libs)\/([^/]+)/.exec(url);
  return ours ? `huoju ${ours[2]}` : shorten(url);
}

function shorten(url: string): string {
  return url.replace(/^file:\/\//, '').replace(/^.*?(node_modules|dist)\//, '$1/');
}
