/** Memory sizes (MiB) Fargate accepts for each task CPU size (CPU units; 1024 = 1 vCPU), Linux tasks. */
export const FARGATE_TASK_SIZES: Readonly<Record<number, readonly number[]>> = {
  256: [512, 1024, 2048],
  512: steps(1024, 4096, 1024),
  1024: steps(2048, 8192, 1024),
  2048: steps(4096, 16384, 1024),
  4096: steps(8192, 30720, 1024),
  8192: steps(16384, 61440, 4096),
  16384: steps(32768, 122880, 8192),
};

function steps(from: number, to: number, step: number): number[] {
  return Array.from({ length: (to - from) / step + 1 }, (_, i) => from + i * step);
}

/** True when Fargate can run a task of this CPU and memory size. */
export function isFargateTaskSize(cpu: number, memory: number): boolean {
  return FARGATE_TASK_SIZES[cpu]?.includes(memory) ?? false;
}

/** The memory sizes allowed for `cpu`, as a short phrase for error messages. */
export function memoryChoices(cpu: number): string {
  const sizes = FARGATE_TASK_SIZES[cpu];
  if (!sizes) return `a cpu of ${Object.keys(FARGATE_TASK_SIZES).join(", ")}`;
  const first = sizes[0];
  const last = sizes[sizes.length - 1];
  const step = (sizes[1] ?? 0) - (first ?? 0);
  return sizes.length <= 3 ? `one of ${sizes.join(", ")}` : `${first} to ${last} in steps of ${step}`;
}
