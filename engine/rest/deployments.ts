// POST /v2/deployments: multipart/form-data with 1..n files in `resources` and an optional `tenantId`.

import type { RequestHandler } from 'express';
import multer from 'multer';
import type { DeployResource } from '../runtime.ts';
import type { RestContext } from './context.ts';
import { HttpProblem, invalidArgument } from './problem.ts';
import { ok, type Routes } from './routes.ts';
import { closedObject, tenantIdSchema } from './validation.ts';
import * as wire from './wire.ts';

export interface UploadLimits {
  /** Per-file size limit in bytes (default 5 MB). */
  maxFileSize?: number;
  /** Maximum number of files in one deployment (default 100). */
  maxFiles?: number;
}

const MAX_NAME = 255;
// Control characters and path separators have no place in a resource name.
// eslint-disable-next-line no-control-regex
const BAD_NAME = /[\u0000-\u001f\u007f/\\]/;

const MULTER_STATUS: Record<string, [number, string]> = {
  LIMIT_FILE_SIZE: [413, 'a resource exceeds the per-file size limit'],
  LIMIT_FILE_COUNT: [413, 'too many resources in one deployment'],
  LIMIT_PART_COUNT: [413, 'too many multipart parts'],
  LIMIT_FIELD_KEY: [400, 'a form field name is too long'],
  LIMIT_FIELD_VALUE: [400, 'a form field value is too long'],
  LIMIT_FIELD_COUNT: [400, 'too many form fields'],
  LIMIT_UNEXPECTED_FILE: [400, "files must be sent in the 'resources' field"],
  MISSING_FIELD_NAME: [400, 'a multipart part has no field name'],
};

function multipart(limits: Required<UploadLimits>): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: limits.maxFileSize,
      files: limits.maxFiles,
      fields: 10,
      fieldNameSize: 100,
      fieldSize: 1024,
      parts: limits.maxFiles + 10,
      headerPairs: 100,
    },
  }).array('resources', limits.maxFiles);
  // Every multer/busboy failure is the client's malformed or oversized upload, never a 500.
  return (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (err === undefined || err === null) {
        next();
        return;
      }
      if (err instanceof multer.MulterError) {
        const [status, detail] = MULTER_STATUS[err.code] ?? [400, 'malformed multipart upload'];
        next(new HttpProblem(status, status === 413 ? 'PAYLOAD_TOO_LARGE' : 'INVALID_ARGUMENT', `body/resources: ${detail}`));
        return;
      }
      next(invalidArgument(`body: malformed multipart/form-data (${err instanceof Error ? err.message.slice(0, 200) : 'unreadable'})`));
    });
  };
}

const requireMultipart: RequestHandler = (req, _res, next) => {
  if (!req.is('multipart/form-data')) {
    throw new HttpProblem(415, 'UNSUPPORTED_MEDIA_TYPE', 'body must be multipart/form-data with the files in resources');
  }
  next();
};

export function deploymentRoutes(r: Routes, ctx: RestContext, limits: UploadLimits = {}): void {
  const l: Required<UploadLimits> = { maxFileSize: limits.maxFileSize ?? 5 * 1024 * 1024, maxFiles: limits.maxFiles ?? 100 };
  r.post('/deployments', {
    access: 'deploy',
    multipart: true,
    before: [requireMultipart, multipart(l)],
    schemas: {
      // The multipart text fields; the files are checked by `refine`.
      body: closedObject({ tenantId: tenantIdSchema }),
      refine: (req) => {
        const files = req.files;
        if (!Array.isArray(files) || files.length === 0) return 'body/resources must contain at least one file';
        for (const [i, f] of files.entries()) {
          if (f.originalname.length === 0 || f.originalname.length > MAX_NAME || BAD_NAME.test(f.originalname)) {
            return `body/resources/${i} must have a file name of 1 to ${MAX_NAME} characters without path separators or control characters`;
          }
          if (f.size === 0) return `body/resources/${i} (${f.originalname}) is empty`;
        }
        return undefined;
      },
    },
  }, async (req, res) => {
    const files = req.files as Express.Multer.File[];
    const resources: DeployResource[] = files.map((f) => ({ name: f.originalname, content: f.buffer }));
    const tenantId = (req.body as { tenantId?: string }).tenantId;
    const deployment = await ctx.runtime.deploy(resources, tenantId);
    await ctx.audit(req, res, {
      action: 'deployment.create',
      target: `deployment/${deployment.deploymentKey}`,
      after: {
        resources: files.map((f) => ({ name: f.originalname, bytes: f.size })),
        deployed: deployment.deployments.map((d) => ('processDefinition' in d
          ? { processDefinitionId: d.processDefinition.processDefinitionId, version: d.processDefinition.processDefinitionVersion, key: d.processDefinition.processDefinitionKey }
          : { formId: d.form.formId, version: d.form.version, key: d.form.formKey })),
      },
    });
    ok(res, {
      ...wire.omitNulls(deployment),
      deployments: deployment.deployments.map((d) => ('processDefinition' in d ? { processDefinition: wire.omitNulls(d.processDefinition) } : { form: wire.omitNulls(d.form) })),
    });
  });
}
