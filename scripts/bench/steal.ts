/**
 * How much CPU time the hypervisor gave to other guests while a bench
 * section ran: the "steal" column of /proc/stat, as a share of all CPU time
 * (every core) over the section. Seen on this machine's kind: minutes with
 * none, and stretches where it took a fifth or more; the same code then reads
 * up to 2–3× slower. A figure with much steal beside it measured the host.
 * Null where /proc/stat is not there (not Linux).
 */
import { readFileSync } from "node:fs";

interface CpuTimes {
  steal: number;
  total: number;
}

function readCpuTimes(): CpuTimes | null {
  try {
    const first = readFileSync("/proc/stat", "utf8").split("\n", 1)[0]!;
    // cpu user nice system idle iowait irq softirq steal (guest time is already within user).
    const ticks = first.trim().split(/\s+/).slice(1, 9).map(Number);
    if (ticks.length < 8 || ticks.some((t) => !Number.isFinite(t))) return null;
    return { steal: ticks[7]!, total: ticks.reduce((a, b) => a + b, 0) };
  } catch {
    return null;
  }
}

/** Starts measuring; the function returned gives the percentage stolen since (null when unknown). */
export function stealMeter(): () => number | null {
  const before = readCpuTimes();
  return () => {
    const after = readCpuTimes();
    if (!before || !after || after.total <= before.total) return null;
    return (100 * (after.steal - before.steal)) / (after.total - before.total);
  };
}
