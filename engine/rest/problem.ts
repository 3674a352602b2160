// RFC 9457 problem details, the way Camunda's Orchestration Cluster REST API reports errors:
// `application/problem+json` with { type: 'about:blank', title: <CODE>, status, detail, instance }.

import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { RuntimeError } from '../runtime.ts';

export interface Problem {
  type: 'about:blank';
  title: string;
  status: number;
  detail: string;
  instance: string;
  [extension: string]: unknown;
}

/** An error the REST layer raises itself (validation, unsupported input, transport limits). */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
  ) {
    super(detail);
    this.name = 'HttpProblem';
  }
}

export const invalidArgument = (detail: string) => new HttpProblem(400, 'INVALID_ARGUMENT', detail);

const TITLES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'INVALID_STATE',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  422: 'UNPROCESSABLE_ENTITY',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL_ERROR',
  503: 'SERVICE_UNAVAILABLE',
};

const MAX_REFLECTED = 200;

/** The request path (never the query string), bounded so hostile URLs are not echoed at length. */
function instanceOf(req: Request): string {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0] ?? '';
  return path.length > MAX_REFLECTED ? `${path.slice(0, MAX_REFLECTED)}…` : path;
}

export function sendProblem(req: Request, res: Response, status: number, title: string, detail: string, extra?: Record<string, unknown>): void {
  // RFC 9110: a 401 names the schemes that would work.
  if (status === 401) res.setHeader('WWW-Authenticate', 'Basic realm="gridflow", Bearer realm="gridflow"');
  const body: Problem = { type: 'about:blank', title, status, detail, instance: instanceOf(req), ...extra };
  res.status(status).type('application/problem+json').send(JSON.stringify(body));
}

interface HttpLikeError { status?: unknown; statusCode?: unknown; expose?: unknown; type?: unknown; message?: unknown; code?: unknown }

/** Body-parser / http-errors style client errors (4xx with `expose`), mapped to a safe detail. */
function clientErrorDetail(err: HttpLikeError, status: number): string {
  switch (err.type) {
    case 'entity.parse.failed': return `Request body is not valid JSON: ${String(err.message)}`;
    case 'entity.too.large': return 'Request body exceeds the size limit';
    case 'entity.verify.failed': return String(err.message);
    case 'encoding.unsupported':
    case 'charset.unsupported': return String(err.message);
    case 'request.aborted': return 'Request was aborted by the client';
    case 'request.size.invalid': return 'Request body size did not match Content-Length';
    default: return err.expose === true && typeof err.message === 'string' ? err.message : (TITLES[status] ?? 'Client error');
  }
}

/**
 * Maps everything thrown below /v2 to problem+json: RuntimeError keeps its status/code/message,
 * HttpProblem its own, body-parser/router 4xx errors their status; anything else is a 500 whose
 * detail never carries the message or stack (those go to the server log only).
 */
export function problemErrorHandler(log: (msg: string, err: unknown) => void = defaultLog): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    if (err instanceof RuntimeError) {
      // Errors with messages in several languages (form validation) answer in the caller's.
      const d = err.details as { localized?: Record<string, unknown> } | undefined;
      const extra = d?.localized ? { errors: d.localized[req.acceptsLanguages('en', 'zh') === 'zh' ? 'zh' : 'en'] } : d === undefined ? undefined : { details: d };
      sendProblem(req, res, err.status, err.code, err.message, extra);
      return;
    }
    if (err instanceof HttpProblem) {
      const retryAfter = (err as { retryAfter?: unknown }).retryAfter;
      if (typeof retryAfter === 'number') res.setHeader('Retry-After', String(retryAfter));
      sendProblem(req, res, err.status, err.title, err.message);
      return;
    }
    if (err instanceof URIError) {
      // The router could not percent-decode a path parameter.
      sendProblem(req, res, 400, 'INVALID_ARGUMENT', 'path contains malformed percent-encoding');
      return;
    }
    if (err !== null && typeof err === 'object') {
      const e = err as HttpLikeError;
      const status = typeof e.status === 'number' ? e.status : typeof e.statusCode === 'number' ? e.statusCode : undefined;
      if (status !== undefined && status >= 400 && status < 500) {
        sendProblem(req, res, status, TITLES[status] ?? 'CLIENT_ERROR', clientErrorDetail(e, status));
        return;
      }
    }
    log(`Unhandled error on ${req.method} ${instanceOf(req)}`, err);
    sendProblem(req, res, 500, 'INTERNAL_ERROR', 'An unexpected error occurred while processing the request');
  };
}

function defaultLog(msg: string, err: unknown): void {
  console.error(msg, err);
}

/** Terminal handler for paths no route matched. */
export const notFoundHandler: RequestHandler = (req, res) => {
  const path = instanceOf(req);
  sendProblem(req, res, 404, 'NOT_FOUND', `No endpoint ${req.method} ${path}`);
};
