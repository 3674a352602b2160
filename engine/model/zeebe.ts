// Readers for the Zeebe extension elements (namespace http://camunda.org/schema/zeebe/1.0), each
// turning one extension into its plain model. They read, they do not judge: validation is in
// validate*.ts.
import { bodyOf, bool, child, list, str, type ModdleElement } from './moddle.ts';
import type {
  AssignmentDefinitionModel, CalledElementModel, FormDefinitionModel, IoMappingModel, LoopCharacteristicsModel,
  ScriptModel, TaskDefinitionModel, TaskScheduleModel,
} from './types.ts';

/** All extension elements of an element. */
export function extensions(el: ModdleElement | undefined): ModdleElement[] {
  return list(child(el, 'extensionElements'), 'values');
}

/** The first extension element of a type, e.g. 'zeebe:TaskDefinition'. */
export function extension(el: ModdleElement | undefined, type: string): ModdleElement | undefined {
  return extensions(el).find((e) => e.$type === type);
}

export function readTaskDefinition(el: ModdleElement): TaskDefinitionModel | undefined {
  const ext = extension(el, 'zeebe:TaskDefinition');
  if (!ext) return undefined;
  return { type: str(ext, 'type'), retries: str(ext, 'retries') ?? '3' };
}

export function readTaskHeaders(el: ModdleElement): Record<string, string> | undefined {
  const ext = extension(el, 'zeebe:TaskHeaders');
  if (!ext) return undefined;
  const headers: Record<string, string> = {};
  for (const h of list(ext, 'values')) {
    const key = str(h, 'key');
    if (key !== null) headers[key] = str(h, 'value') ?? '';
  }
  return headers;
}

export function readIoMapping(el: ModdleElement): IoMappingModel | undefined {
  const ext = extension(el, 'zeebe:IoMapping');
  if (!ext) return undefined;
  return {
    inputs: list(ext, 'inputParameters').map((p) => ({ source: emptyToNull(str(p, 'source')), target: str(p, 'target') ?? '' })),
    outputs: list(ext, 'outputParameters').map((p) => ({ source: str(p, 'source') ?? '', target: str(p, 'target') ?? '' })),
  };
}

export function readAssignmentDefinition(el: ModdleElement): AssignmentDefinitionModel | undefined {
  const ext = extension(el, 'zeebe:AssignmentDefinition');
  if (!ext) return undefined;
  return {
    assignee: emptyToNull(str(ext, 'assignee')),
    candidateGroups: emptyToNull(str(ext, 'candidateGroups')),
    candidateUsers: emptyToNull(str(ext, 'candidateUsers')),
  };
}

export function readTaskSchedule(el: ModdleElement): TaskScheduleModel | undefined {
  const ext = extension(el, 'zeebe:TaskSchedule');
  if (!ext) return undefined;
  return { dueDate: emptyToNull(str(ext, 'dueDate')), followUpDate: emptyToNull(str(ext, 'followUpDate')) };
}

export function readPriority(el: ModdleElement): string | null | undefined {
  const ext = extension(el, 'zeebe:PriorityDefinition');
  return ext ? emptyToNull(str(ext, 'priority')) : undefined;
}

export function readFormDefinition(el: ModdleElement): FormDefinitionModel | undefined {
  const ext = extension(el, 'zeebe:FormDefinition');
  if (!ext) return undefined;
  return {
    formId: emptyToNull(str(ext, 'formId')),
    formKey: emptyToNull(str(ext, 'formKey')),
    externalReference: emptyToNull(str(ext, 'externalReference')),
    bindingType: str(ext, 'bindingType') ?? 'latest',
    versionTag: emptyToNull(str(ext, 'versionTag')),
  };
}

/** Embedded forms (zeebe:userTaskForm) declared on a process, by id. */
export function readUserTaskForms(process: ModdleElement): Map<string, string> {
  const forms = new Map<string, string>();
  for (const ext of extensions(process)) {
    if (ext.$type !== 'zeebe:UserTaskForm') continue;
    const id = str(ext, 'id');
    if (id !== null) forms.set(id, typeof ext.body === 'string' ? ext.body : '');
  }
  return forms;
}

/** The embedded form id a formKey like camunda-forms:bpmn:UserTaskForm_1 points to. */
export function embeddedFormId(formKey: string | null): string | null {
  const m = /^camunda-forms:bpmn:(.+)$/.exec(formKey ?? '');
  return m ? m[1]! : null;
}

export function hasUserTaskExtension(el: ModdleElement): boolean {
  return extension(el, 'zeebe:UserTask') !== undefined;
}

export function readCalledElement(el: ModdleElement): CalledElementModel | undefined {
  const ext = extension(el, 'zeebe:CalledElement');
  if (!ext) return undefined;
  return {
    processId: emptyToNull(str(ext, 'processId')),
    propagateAllChildVariables: bool(ext, 'propagateAllChildVariables') ?? true,
    propagateAllParentVariables: bool(ext, 'propagateAllParentVariables') ?? true,
    bindingType: str(ext, 'bindingType') ?? 'latest',
    versionTag: emptyToNull(str(ext, 'versionTag')),
  };
}

/** bpmn:multiInstanceLoopCharacteristics with its zeebe:loopCharacteristics. */
export function readLoopCharacteristics(el: ModdleElement): LoopCharacteristicsModel | undefined {
  const loop = child(el, 'loopCharacteristics');
  if (!loop || loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return undefined;
  const ext = extension(loop, 'zeebe:LoopCharacteristics');
  return {
    isSequential: bool(loop, 'isSequential') ?? false,
    inputCollection: emptyToNull(str(ext, 'inputCollection')),
    inputElement: emptyToNull(str(ext, 'inputElement')),
    outputCollection: emptyToNull(str(ext, 'outputCollection')),
    outputElement: emptyToNull(str(ext, 'outputElement')),
    completionCondition: emptyToNull(bodyOf(loop, 'completionCondition')),
  };
}

export function readScript(el: ModdleElement): ScriptModel | undefined {
  const ext = extension(el, 'zeebe:Script');
  if (!ext) return undefined;
  return { expression: emptyToNull(str(ext, 'expression')), resultVariable: emptyToNull(str(ext, 'resultVariable')) };
}

export function readVersionTag(process: ModdleElement): string | null {
  return emptyToNull(str(extension(process, 'zeebe:VersionTag'), 'value'));
}

/** zeebe:subscription on a bpmn:Message. */
export function readSubscription(message: ModdleElement | undefined): { correlationKey: string | null } | null {
  const ext = extension(message, 'zeebe:Subscription');
  return ext ? { correlationKey: emptyToNull(str(ext, 'correlationKey')) } : null;
}

function emptyToNull(s: string | null): string | null {
  return s === null || s.trim() === '' ? null : s;
}
