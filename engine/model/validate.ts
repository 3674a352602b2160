// Deploy-time validation: read every executable process and collect EVERY problem, each against
// the element it is about, so a modeller can fix a diagram in one pass.
import type { CheckContext } from './check-context.ts';
import { parseBpmn, list, type ModdleElement, type ModdleWarning } from './moddle.ts';
import { readProcess } from './read.ts';
import type { DeploymentProblem, ProcessModel } from './types.ts';
import { checkElements } from './validate-elements.ts';
import { checkExpressions } from './validate-expressions.ts';
import { checkFlows } from './validate-flows.ts';

export interface ValidateOptions {
  /** Process ids already deployed; when given, call activities must call one of them (or a process of this deployment). */
  knownProcessIds?: Set<string>;
}

export interface ValidationResult {
  models: ProcessModel[];
  problems: DeploymentProblem[];
}

const CHECKS = [checkElements, checkFlows, checkExpressions];

import { xmlRefusal } from './xml-guard.ts';

export async function validateDeployment(xml: string, opts: ValidateOptions = {}): Promise<ValidationResult> {
  const problems: DeploymentProblem[] = [];
  const report = (elementId: string | null, message: string, code?: string, params?: Record<string, string | number>) =>
    problems.push({ elementId, message, ...(code && { code }), ...(params && { params }) });

  const refused = xmlRefusal(xml);
  if (refused) {
    report(null, refused.message, 'XML_REFUSED', { reason: refused.reason, ...(refused.limit !== undefined && { limit: refused.limit }) });
    return { models: [], problems };
  }

  let definitions: ModdleElement;
  try {
    const parsed = await parseBpmn(xml);
    definitions = parsed.definitions;
    for (const w of parsed.warnings) report(warningElementId(w), describeWarning(w), 'XML_CONTENT_UNREADABLE', warningPlace(w));
  } catch (err) {
    report(null, `The BPMN XML cannot be parsed: ${firstLine((err as Error).message)}`, 'XML_UNREADABLE');
    return { models: [], problems };
  }

  const processes = list(definitions, 'rootElements').filter((r) => r.$type === 'bpmn:Process');
  const executable = processes.filter((p) => p['isExecutable'] === true);
  if (executable.length === 0) {
    report(processes.length === 1 ? (processes[0]!.id ?? null) : null,
      processes.length === 0 ? 'The diagram contains no process' : 'The diagram contains no executable process (isExecutable="true")',
      processes.length === 0 ? 'NO_PROCESS' : 'NO_EXECUTABLE_PROCESS');
    return { models: [], problems };
  }

  const deployedProcessIds = new Set(executable.map((p) => p.id ?? ''));
  const models: ProcessModel[] = [];
  for (const process of executable) {
    if (!process.id) {
      report(null, 'An executable process has no id', 'PROCESS_ID_MISSING');
      continue;
    }
    const { model, sources } = readProcess(process);
    const ctx: CheckContext = { model, sources, deployedProcessIds, report };
    if (opts.knownProcessIds) ctx.knownProcessIds = opts.knownProcessIds;
    for (const check of CHECKS) check(ctx);
    models.push(model);
  }
  return { models, problems };
}

function warningElementId(w: ModdleWarning): string | null {
  return w.element?.id ?? null;
}

/** Where a moddle warning points: its line and column, when it says. */
function warningPlace(w: ModdleWarning): Record<string, string> {
  const place: Record<string, string> = {};
  for (const name of ['line', 'column']) {
    const found = w.message.split('\n').map((l) => l.trim()).find((l) => l.startsWith(`${name}:`));
    if (found) place[name] = found.slice(name.length + 1).trim();
  }
  return place;
}

// moddle warnings read "unparsable content <x> detected\n\tline: 3\n\tcolumn: 5\n\tnested error: ...".
function describeWarning(w: ModdleWarning): string {
  const lines = w.message.split('\n').map((l) => l.trim()).filter(Boolean);
  const field = (name: string) => lines.find((l) => l.startsWith(`${name}:`))?.slice(name.length + 1).trim();
  const line = field('line');
  const column = field('column');
  const nested = field('nested error');
  let text = `The BPMN XML has content that cannot be read: ${lines[0] ?? 'unknown problem'}`;
  if (line !== undefined) text += ` (line ${line}${column !== undefined ? `, column ${column}` : ''})`;
  if (nested) text += `: ${nested}`;
  return text;
}

function firstLine(s: string): string {
  return s.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
}
