// gridflow.notify.email: an e-mail through the zone's SMTP server (nodemailer). Subject and body
// are templates: `{{path}}` is replaced by the job's variable at that path (`{{enterprise.name}}`),
// HTML-escaped in the HTML body; `{{secrets.NAME}}` was resolved before the handler ran. Transient
// SMTP trouble (no connection, 4xx) fails the job for a retry; a permanent refusal (5xx) does not.
import nodemailer from 'nodemailer';
import { JobFailure, type JobContext, type PluginJob } from '../host/contract.ts';

interface Settings { host?: string; port?: number; secure?: boolean; user?: string; password?: string; from?: string; requireTLS?: boolean }

const PLACEHOLDER = /\{\{\s*([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)\s*\}\}/g;

function lookup(variables: Record<string, unknown>, path: string): unknown {
  let v: unknown = variables;
  for (const part of path.split('.')) {
    if (!v || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function fill(template: string, variables: Record<string, unknown>, html = false): string {
  return template.replace(PLACEHOLDER, (_m, path: string) => {
    const v = lookup(variables, path);
    const text = v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    return html ? escapeHtml(text) : text;
  });
}

const addresses = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? v.split(/[,;]\s*/) : []).map((s) => s.trim()).filter(Boolean);

export default async function sendEmail(job: PluginJob, ctx: JobContext): Promise<Record<string, unknown>> {
  const s = ctx.settings as Settings;
  if (!s.host) throw new JobFailure('the SMTP server is not configured: set host in the plugin\'s settings', { retries: 0 });
  const v = job.variables;
  const to = addresses(v.to);
  if (!to.length) throw new JobFailure("input 'to' is empty: give one or more addresses", { retries: 0 });
  const subject = fill(String(v.subject ?? ''), v).replace(/[\r\n]+/g, ' ').slice(0, 500);
  const text = fill(String(v.body ?? ''), v);
  const html = typeof v.html === 'string' && v.html ? fill(v.html, v, true) : undefined;
  const transport = nodemailer.createTransport({
    host: s.host, port: s.port ?? 587, secure: s.secure ?? false, requireTLS: s.requireTLS ?? false,
    ...(s.user ? { auth: { user: s.user, pass: s.password ?? '' } } : {}),
    connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 20_000,
  });
  try {
    const info = await transport.sendMail({ from: s.from, to, cc: addresses(v.cc), subject, text, ...(html ? { html } : {}) });
    ctx.logger.info(`sent '${subject}' to ${info.accepted.length} recipient(s)`);
    const result = { messageId: info.messageId, accepted: info.accepted.map(String), rejected: info.rejected.map(String) };
    return { [job.customHeaders.resultVariable || 'notification']: result };
  } catch (err) {
    const e = err as Error & { responseCode?: number; code?: string };
    const why = `sending the e-mail failed: ${e.code ?? ''}${e.responseCode ? ` ${e.responseCode}` : ''} ${e.message}`.replace(/\s+/g, ' ');
    throw new JobFailure(why, e.responseCode && e.responseCode >= 500 ? { retries: 0 } : {});
  } finally {
    transport.close();
  }
}
