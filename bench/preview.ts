// Benchmark: `stackline preview` over eight independent stacks against a sequential loop of
// `pulumi preview`, and the orchestrator's overhead on a single stack against a bare `pulumi preview`.
// Both sides run in this one process, on this machine, on the same sandbox backend; the script prints
// ratios, which are what to compare across machines. Run: npm run bench
import { spawnSync } from "node:child_process";
import { locateEngine } from "../orchestrator/engine";
import { previewEnvironment } from "../orchestrator/preview";
import { makeSandbox } from "../test/integration/support";

const STACKS = Array.from({ length: 8 }, (_, i) => `bench-s${i + 1}`);
const LAYERS = Object.fromEntries(STACKS.map((s) => [s.slice("bench-".length), { description: s, reads: {} }]));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const sandbox = makeSandbox("bench");
const engine = locateEngine();
const env = { ...process.env, ...sandbox.envVars };

function pulumi(args: string[], extraEnv: Record<string, string> = {}): void {
  const run = spawnSync(engine.path, [...args, "--non-interactive"], {
    cwd: sandbox.workDir,
    env: { ...env, ...extraEnv },
    encoding: "utf8",
  });
  if (run.status !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${run.stderr}`);
}

async function timed(work: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

const orchestrated = (stacks?: string[]) => async () => {
  const report = await previewEnvironment({
    environment: "bench",
    workDir: sandbox.workDir,
    envVars: sandbox.envVars,
    layers: LAYERS,
    selection: stacks ? { stacks } : undefined,
  });
  const failed = report.stacks.filter((s) => s.status === "failed");
  if (failed.length > 0) throw new Error(`preview failed: ${failed.map((s) => s.errors.join("; ")).join(" | ")}`);
};

async function main(): Promise<void> {
  try {
    process.stdout.write(`Benchmark on ${engine.path} (${engine.version}), ${ROUNDS} round(s), median times\n`);
    for (const stack of STACKS) pulumi(["stack", "init", stack]);
    pulumi(["preview", "--stack", STACKS[0] as string]); // warm file-system caches before measuring

    const fanout: number[] = [];
    const sequential: number[] = [];
    const single: number[] = [];
    const bare: number[] = [];
    const typeChecked: number[] = [];
    const transpiled: number[] = [];
    // ts-node's compile cache off: what a first run after a change, or a fresh CI machine, pays.
    const cold = { TS_NODE_CACHE: "false" };
    for (let round = 0; round < ROUNDS; round++) {
      fanout.push(await timed(orchestrated()));
      sequential.push(
        await timed(() => {
          for (const s of STACKS) pulumi(["preview", "--stack", s]);
        }),
      );
      single.push(await timed(orchestrated([STACKS[0] as string])));
      bare.push(await timed(() => pulumi(["preview", "--stack", STACKS[0] as string])));
      const first = STACKS[0] as string;
      typeChecked.push(
        await timed(() => pulumi(["preview", "--stack", first], { ...cold, PULUMI_NODEJS_TRANSPILE_ONLY: "false" })),
      );
      transpiled.push(
        await timed(() => pulumi(["preview", "--stack", first], { ...cold, PULUMI_NODEJS_TRANSPILE_ONLY: "true" })),
      );
    }
    const [f, s, o, b, c, t] = [fanout, sequential, single, bare, typeChecked, transpiled].map(median) as [
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    process.stdout.write(
      [
        `8 stacks: stackline preview ${f.toFixed(1)}s, sequential pulumi preview ${s.toFixed(1)}s -> speed-up ${(s / f).toFixed(2)}x`,
        `1 stack:  stackline preview ${o.toFixed(1)}s, bare pulumi preview ${b.toFixed(1)}s -> overhead ${(o / b).toFixed(2)}x`,
        `1 stack, cold compile cache: type-checked ${c.toFixed(1)}s, transpile-only ${t.toFixed(1)}s -> ${(c / t).toFixed(2)}x faster without the run-time type check (Stackline's programs run transpile-only)`,
        "",
      ].join("\n"),
    );
  } finally {
    sandbox.cleanup();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
