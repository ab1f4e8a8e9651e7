/**
 * Every layer a stack can run, and the upstream layers whose outputs it reads. The orchestrator
 * derives an environment's stack graph from this list and the stack config files present, without
 * loading any layer's program.
 */
export interface LayerDefinition {
  description: string;
  /** Layers of the same environment that must be deployed first; read through StackReferences. */
  dependsOn: readonly string[];
}

export const layers = {
  platform: {
    description: "Kubernetes namespaces with Pod Security, quotas, default limits and default-deny network policies",
    dependsOn: [],
  },
  apps: {
    description: "Application workloads in the platform's namespaces, each with its service, policies and scaling",
    dependsOn: ["platform"],
  },
} as const satisfies Record<string, LayerDefinition>;

export type LayerName = keyof typeof layers;

export function isLayerName(name: string): name is LayerName {
  return Object.hasOwn(layers, name);
}

/** Context every layer program receives: which stack it is and how to read its upstream layers. */
export interface LayerContext {
  stack: string;
  environment: string;
  layer: LayerName;
}

/** A layer's program: registers resources and returns the stack's outputs. */
export type LayerProgram = (context: LayerContext) => Promise<Record<string, unknown>>;
