// User tasks: search, get, assign, unassign, complete, form, variables.

import type { Request, Response } from 'express';
import type { FormResult, UserTask, UserTaskFilter, UserTaskVariableFilter } from '../runtime.ts';
import { describe, forbidden, principalOf } from './access.ts';
import type { RestContext } from './context.ts';
import { noContent, ok, param, type Routes } from './routes.ts';
import { filterField, searchBodySchema, toSearchQuery } from './search.ts';
import { boundedString, closedObject, keyParams, keySchema, nonEmptyString, nullableVariablesSchema, processDefinitionIdSchema, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

/**
 * Resolves a task's form for GET /v2/user-tasks/{key}/form: the 8.8 FormResult
 * ({ formKey, formId, version, tenantId, schema }, `schema` the form-js JSON as text, as Camunda's
 * server sends it) or null when the task has no form.
 */
export type FormResolver = (task: UserTask) => Promise<FormResult | null>;

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

// Camunda 8.8's user task variable search: by name only; sorted by any of the variable's fields.
const variableFilter = { name: filterField.string(nonEmptyString()) };
const variableSortFields = ['value', 'name', 'tenantId', 'variableKey', 'scopeKey', 'processInstanceKey'] as const;

export function userTaskRoutes(r: Routes, ctx: RestContext, formResolver?: FormResolver): void {
  const runtime = ctx.runtime;

  /** The task, if the caller may see it (403 otherwise; 404 when there is none). */
  async function visibleTask(req: Request, res: Response): Promise<UserTask> {
    const task = await runtime.getUserTask(param(req, 'userTaskKey'));
    await ctx.scope(res).requireTask(task);
    return task;
  }

  r.post('/user-tasks/search', { access: 'tasks.read', search: true, schemas: { body: searchBodySchema(filter, sortFields) } }, async (req, res) => {
    const scope = ctx.scope(res);
    const result = await scope.search(toSearchQuery<UserTaskFilter>(req.body), (q) => runtime.searchUserTasks(q), (t) => scope.canSeeTask(t));
    ok(res, wire.page(result, wire.userTask));
  });

  r.get('/user-tasks/:userTaskKey', { access: 'tasks.read', schemas: { params } }, async (req, res) => {
    ok(res, wire.userTask(await visibleTask(req, res)));
  });

  // Assignment to oneself is a claim: for the task's candidates (or anyone who can see a task
  // without candidates). Assigning someone else, or taking over a task assigned to someone else,
  // needs tasks.assign: zone-wide callers anywhere, grid leaders within their grids, and the new
  // assignee must be a known, enabled user (in that grid or a candidate, for grid leaders).
  // `action` (a custom label for task listeners) is accepted per the spec; the seam has no use for it yet.
  r.post('/user-tasks/:userTaskKey/assignment', {
    access: 'tasks.read',
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
    const key = param(req, 'userTaskKey');
    const opts = typeof b.allowOverride === 'boolean' ? { allowOverride: b.allowOverride } : undefined;
    if (ctx.unprotected) {
      await runtime.assignUserTask(key, b.assignee, opts);
      noContent(res);
      return;
    }
    const task = await visibleTask(req, res);
    const claim = b.assignee === principalOf(res).id;
    await checkAssignment(ctx, res, task, b.assignee, claim);
    await runtime.assignUserTask(key, b.assignee, opts);
    await ctx.audit(req, res, {
      action: claim ? 'task.claim' : 'task.assign',
      target: `user-task/${key}`,
      before: { assignee: task.assignee },
      after: { assignee: b.assignee },
      detail: { processInstanceKey: task.processInstanceKey, elementId: task.elementId },
    });
    noContent(res);
  });

  // The assignee may give a task back; others need tasks.assign in scope.
  r.delete('/user-tasks/:userTaskKey/assignee', { access: 'tasks.read', schemas: { params } }, async (req, res) => {
    const key = param(req, 'userTaskKey');
    if (ctx.unprotected) {
      await runtime.unassignUserTask(key);
      noContent(res);
      return;
    }
    const task = await visibleTask(req, res);
    if (task.assignee !== principalOf(res).id) await requireAssignPower(ctx, res, task, 'unassign');
    await runtime.unassignUserTask(key);
    await ctx.audit(req, res, {
      action: 'task.unassign',
      target: `user-task/${key}`,
      before: { assignee: task.assignee },
      after: { assignee: null },
      detail: { processInstanceKey: task.processInstanceKey, elementId: task.elementId },
    });
    noContent(res);
  });

  // Only the assignee completes a task (a candidate claims it first); the runtime records who.
  r.post('/user-tasks/:userTaskKey/completion', {
    access: 'tasks.complete',
    schemas: {
      params,
      body: closedObject({ variables: nullableVariablesSchema, action: { ...boundedString(256), type: ['string', 'null'] } }),
    },
  }, async (req, res) => {
    const b = req.body as { variables?: Record<string, unknown> | null };
    const key = param(req, 'userTaskKey');
    const p = principalOf(res);
    let task: UserTask | undefined;
    if (!ctx.unprotected) {
      task = await visibleTask(req, res);
      if (task.assignee === null) throw forbidden(`user task ${key} is not assigned: ${describe(p)} must claim it (assign it to itself) before completing it`);
      if (task.assignee !== p.id) throw forbidden(`user task ${key} is assigned to '${task.assignee}': only its assignee may complete it`);
    }
    await runtime.completeUserTask(key, b.variables ?? undefined, ctx.unprotected ? undefined : p.id);
    if (task !== undefined) ctx.instances.forget(task.processInstanceKey);
    await ctx.audit(req, res, {
      action: 'task.complete',
      target: `user-task/${key}`,
      // Variable names only: values may carry personal data and stay in the instance's history.
      after: { state: 'COMPLETED', variables: Object.keys(b.variables ?? {}) },
      detail: task === undefined ? undefined : { processInstanceKey: task.processInstanceKey, elementId: task.elementId },
    });
    noContent(res);
  });

  // Every variable the task sees, one item per name and scope (its own and every scope above it),
  // for whoever may see the task; values truncated unless truncateValues=false, as in Camunda.
  r.post('/user-tasks/:userTaskKey/variables/search', {
    access: 'tasks.read',
    search: true,
    schemas: {
      params,
      query: closedObject({ truncateValues: { enum: ['true', 'false'] } }),
      body: searchBodySchema(variableFilter, variableSortFields),
    },
  }, async (req, res) => {
    const key = param(req, 'userTaskKey');
    if (!ctx.unprotected) await visibleTask(req, res);
    const result = await runtime.searchUserTaskVariables(key, toSearchQuery<UserTaskVariableFilter>(req.body));
    const truncate = req.query.truncateValues !== 'false';
    ok(res, wire.page(result, (v) => wire.variable(v, truncate)));
  });

  // 200 with the form (Camunda's FormResult, `schema` the form-js JSON as text, as Camunda's
  // server sends it), 204 when the task has none.
  r.get('/user-tasks/:userTaskKey/form', { access: 'tasks.read', schemas: { params } }, async (req, res) => {
    const key = param(req, 'userTaskKey');
    let form: FormResult | null;
    if (formResolver !== undefined) form = await formResolver(await visibleTask(req, res));
    else {
      if (!ctx.unprotected) await visibleTask(req, res);
      form = await runtime.getUserTaskForm(key);
    }
    if (form === null) noContent(res);
    else ok(res, form);
  });
}

async function requireAssignPower(ctx: RestContext, res: Response, task: UserTask, what: string): Promise<void> {
  const scope = ctx.scope(res);
  const p = scope.principal;
  if (!p.permissions.has('tasks.assign')) {
    throw forbidden(`${describe(p)} may not ${what} user task ${task.userTaskKey}${task.assignee === null ? '' : ` (assigned to '${task.assignee}')`}: that needs the permission 'tasks.assign'`);
  }
  if (!(await scope.inGrid(task.processInstanceKey))) {
    throw forbidden(`${describe(p)} may ${what} tasks only within its own grids; user task ${task.userTaskKey} is not in them`);
  }
}

async function checkAssignment(ctx: RestContext, res: Response, task: UserTask, assignee: string, claim: boolean): Promise<void> {
  const scope = ctx.scope(res);
  const p = scope.principal;
  const takenByOther = task.assignee !== null && task.assignee !== assignee;
  if (claim && !takenByOther) {
    const noCandidates = task.candidateUsers.length === 0 && task.candidateGroups.length === 0;
    if (p.permissions.has('tasks.claim') && (noCandidates || scope.takesPartIn(task))) return;
    if (p.permissions.has('tasks.assign') && (await scope.inGrid(task.processInstanceKey))) return;
    throw forbidden(`${describe(p)} may not claim user task ${task.userTaskKey}: it is neither a candidate user nor in a candidate group (${task.candidateGroups.join(', ') || 'none'})`);
  }
  await requireAssignPower(ctx, res, task, takenByOther ? 'reassign' : 'assign others to');
  const user = await ctx.userInfo(assignee);
  if (user === undefined) return;
  if (user === null || user.disabled) throw forbidden(`cannot assign user task ${task.userTaskKey} to '${assignee}': no such enabled user`);
  if (!p.zoneWide) {
    const grid = await scope.gridOf(task.processInstanceKey);
    const inGrid = grid !== null && user.groups.includes(`grid-${grid}`);
    const candidate = task.candidateUsers.includes(assignee) || task.candidateGroups.some((g) => user.groups.includes(g));
    if (!inGrid && !candidate) throw forbidden(`${describe(p)} may assign user task ${task.userTaskKey} only to members of grid-${grid ?? '?'} or its candidates; '${assignee}' is neither`);
  }
}
