import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc/PID/stat's times (getconf CLK_TCK; 100 on Linux). */
const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * A child's CPU seconds, sampled every 100 ms from /proc while it lives: after it exits the
 * last sample stands (up to 0.1 s short). 0 where /proc is missing.
 */
export function cpuWatch(pid: number): { now: () => number; stop: () => void } {
  let last = 0;
  const read = () => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      last = (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
    } catch {
      // Gone: the last sample stands.
    }
  };
  read();
  const timer = setInterval(read, 100);
  timer.unref();
  return {
    now: () => {
      read();
      return last;
    },
    stop: () => clearInterval(timer),
  };
}
