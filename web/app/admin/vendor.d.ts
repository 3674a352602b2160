// Type declarations for the modeling libraries that ship none (or none TypeScript resolves here).
declare module 'camunda-bpmn-js/lib/camunda-cloud/Modeler' {
  const Modeler: new (options: Record<string, unknown>) => {
    importXML(xml: string): Promise<{ warnings: unknown[] }>;
    saveXML(options?: { format?: boolean }): Promise<{ xml?: string }>;
    get<T = any>(service: string): T;
    on(event: string, fn: (e: any) => void): void;
    on(event: string, priority: number, fn: (e: any) => void): void;
    off(event: string, fn: (e: any) => void): void;
    getDefinitions(): any;
    destroy(): void;
  };
  export default Modeler;
}
declare module '@camunda/linting' {
  export interface LintReport { id: string; message: string; category: 'error' | 'warn' | 'info' | 'rule-error'; rule: string; name?: string }
  export class Linter {
    constructor(options?: { modeler?: 'desktop' | 'web'; type?: 'cloud' | 'platform'; plugins?: unknown[] });
    lint(contents: unknown): Promise<LintReport[]>;
  }
}
declare module '@camunda/linting/modeler' {
  const module: Record<string, unknown>;
  export default module;
}
declare module 'bpmn-js-i18n/translations/zn.js' {
  const translations: Record<string, string>;
  export default translations;
}
declare module '*.css';
declare module '@camunda/linting/lib/Resolver' {
  export default class NestedResolver { constructor(resolvers: unknown[]) }
}
declare module '@camunda/linting/lib/compiled-config' {
  export const resolver: unknown;
}
declare module 'bpmnlint-plugin-camunda-compat' {
  const plugin: { configs: Record<string, unknown>; rules: Record<string, unknown> };
  export default plugin;
}
declare module 'bpmnlint/lib/resolver/static-resolver' {
  export default class StaticResolver { constructor(cache: Record<string, unknown>) }
}
declare module 'bpmnlint/config/correctness' {
  const config: unknown;
  export default config;
}
