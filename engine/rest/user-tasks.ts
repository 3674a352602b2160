// User tasks: search, get, assign, unassign, complete, form.

import type { Runtime, UserTask, UserTaskFilter } from '../runtime.ts';
import { noContent, ok, param, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { boundedString, closedObject, keyParams, keySchema, nonEmptyString, nullableVariablesSchema, processDefinitionIdSchema, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

/**
 * Resolves a task's form for GET /v2/user-tasks/{key}/form: the 8.8 FormResult
 * ({ formKey, formId, version, tenantId, schema }) or null when the task has no form.
 */
export type FormResolver = (task: UserTask) => Promise<object | null>;

/** Camunda 8.8's user task states; the filter accepts them all. */
const USER_TASK_STATES = ['CREATING', 'CREATED', 'ASSIGNING', 'UPDATING', 'COMPLETING', 'COMPLETED', 'CANCELING', 'CANCELED', 'FAILED'] as const;

const filter = {
  state: filterField.enum(USER_TASK_STATES),
  assignee: filterField.string(nonEmptyString()),
  elementId: filterField.string(nonEmptyString()),
  name: filterField.string(nonEmptyString()),
  processInstanceKey: filterField.key(keySchema),
  processDefinitionKey: filterField.key(keySchema),
  processDefinitionId: filterField.string(processDefinitionIdSchema),
  userTaskKey: filterField.key(keySchema),
  elementInstanceKey: filterField.key(keySchema),
  tenantId: filterField.string(tenantIdSchema),
  candidateGroup: filterField.string(nonEmptyString()),
  candidateUser: filterField.string(nonEmptyString()),
  priority: filterField.integer(0, 100),
  creationDate: filterField.dateTime(),
  dueDate: filterField.dateTime(),
  followUpDate: filterField.dateTime(),
};

// What the runtime can sort by (Camunda also sorts by completionDate).
const sortFields = ['creationDate', 'followUpDate', 'dueDate', 'priority', 'name'] as const;

const params = keyParams('userTaskKey');

export function userTaskRoutes(r: Routes, runtime: Runtime, formResolver?: FormResolver): void {
  r.post('/user-tasks/search', { search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const result = await runtime.searchUserTasks(toSearchQuery<UserTaskFilter>(req.body));
    ok(res, wire.page(result, wire.userTask));
  });

  r.get('/user-tasks/:userTaskKey', { schemas: { params } }, async (req, res) => {
    ok(res, wire.userTask(await runtime.getUserTask(param(req, 'userTaskKey'))));
  });

  // `action` (a custom label for task listeners) is accepted per the spec; the seam has no use for it yet.
  r.post('/user-tasks/:userTaskKey/assignment', {
    schemas: {
      params,
      bodyRequired: true,
      body: closedObject({
        assignee: nonEmptyString(256),
        allowOverride: { type: ['boolean', 'null'] },
        action: { type: ['string', 'null'], maxLength: 256 },
      }, ['assignee']),
    },
  }, async (req, res) => {
    const b = req.body as { assignee: string; allowOverride?: boolean | null };
    const opts = typeof b.allowOverride === 'boolean' ? { allowOverride: b.allowOverride } : undefined;
    await runtime.assignUserTask(param(req, 'userTaskKey'), b.assignee, opts);
    noContent(res);
  });

  r.delete('/user-tasks/:userTaskKey/assignee', { schemas: { params } }, async (req, res) => {
    await runtime.unassignUserTask(param(req, 'userTaskKey'));
    noContent(res);
  });

  r.post('/user-tasks/:userTaskKey/completion', {
    schemas: {
      params,
      body: closedObject({ variables: nullableVariablesSchema, action: { ...boundedString(256), type: ['string', 'null'] } }),
    },
  }, async (req, res) => {
    const b = req.body as { variables?: Record<string, unknown> | null };
    await runtime.completeUserTask(param(req, 'userTaskKey'), b.variables ?? undefined);
    noContent(res);
  });

  // 200 with the form (Camunda's FormResult), 204 when the task has none.
  r.get('/user-tasks/:userTaskKey/form', { schemas: { params } }, async (req, res) => {
    const key = param(req, 'userTaskKey');
    const form = formResolver === undefined ? await runtime.getUserTaskForm(key) : await formResolver(await runtime.getUserTask(key));
    if (form === null) noContent(res);
    else ok(res, form);
  });
}
