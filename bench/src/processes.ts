import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** CPU seconds (user + system) and peak RSS of processes, read from /proc (Linux). */
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/<pid>/stat (11 and 12 after the command name).
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

export function peakRssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function rssBytes(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

export function pidsOf(pattern: string, user?: string): number[] {
  try {
    const args = user ? ['-u', user, '-f', pattern] : ['-f', pattern];
    return execFileSync('pgrep', args).toString().trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** A group of processes measured together (PostgreSQL's backends, say). */
export interface ProcessGroup {
  readonly name: string;
  readonly pids: () => number[];
}

export function sampleCpu(groups: readonly ProcessGroup[]): Map<string, number> {
  return new Map(groups.map((group) => [group.name, group.pids().reduce((sum, pid) => sum + cpuSeconds(pid), 0)]));
}

export function samplePeakRss(groups: readonly ProcessGroup[]): Map<string, number> {
  return new Map(groups.map((group) => [group.name, group.pids().reduce((sum, pid) => sum + peakRssBytes(pid), 0)]));
}

/** Busy and total CPU time of the whole machine (all cores), from /proc/stat, in clock ticks. */
export function machineCpu(): { busy: number; total: number } {
  const [line] = readFileSync('/proc/stat', 'utf8').split('\n');
  const ticks = line!.split(/\s+/).slice(1).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const total = ticks.reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}
