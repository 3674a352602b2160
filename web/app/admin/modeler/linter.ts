// Camunda 8's linter as the modeler uses it. @camunda/linting loads its rule configurations with
// a dynamic import(), which a bundle split into chunks hands back with a default export only (the
// package is CommonJS): the resolver is built here from a static import instead, as the library
// builds it.
import { Linter } from '@camunda/linting';
import NestedResolver from '@camunda/linting/lib/Resolver';
import { resolver as rulesResolver } from '@camunda/linting/lib/compiled-config';
import compat from 'bpmnlint-plugin-camunda-compat';
import StaticResolver from 'bpmnlint/lib/resolver/static-resolver';
import correctness from 'bpmnlint/config/correctness';

type RuleConfig = string | [string, Record<string, unknown>?];

function withModeler(rules: Record<string, RuleConfig>, modeler: string): Record<string, [string, Record<string, unknown>]> {
  const out: Record<string, [string, Record<string, unknown>]> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const [type, config] = Array.isArray(rule) ? [rule[0], rule[1] ?? {}] : [rule, {}];
    out[name] = [type, { ...config, modeler }];
  }
  return out;
}

const NO_RESOLVER = new StaticResolver({});

export class BundledLinter extends Linter {
  declare _plugins: Array<{ resolver?: unknown }>;

  async _createResolver(configName: string): Promise<unknown> {
    const config = (compat.configs as Record<string, { rules?: Record<string, RuleConfig> }>)[configName] ?? { rules: {} };
    const resolved = { ...config, rules: withModeler(config.rules ?? {}, 'web') };
    return new NestedResolver([
      new StaticResolver({
        [`config:bpmnlint-plugin-camunda-compat/${configName}`]: resolved,
        'config:bpmnlint/correctness': correctness,
      }),
      rulesResolver,
      ...this._plugins.map(({ resolver }) => resolver ?? NO_RESOLVER),
    ]);
  }
}
