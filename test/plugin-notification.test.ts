// The notification plugin inside a process, against an SMTP server started by the test: the
// templated subject and body, SMTP authentication with the password from a secret, and a refused
// recipient as an incident that says so.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { bpmn, flow } from './helpers/bpmn.ts';
import { basic, startSecureApp, type SecureApp } from './helpers/secure-app.ts';
import { createPluginsFeature } from '../plugins/host/feature.ts';
import { fill } from '../plugins/notification/handler.ts';
import { until as pollUntil } from './helpers/until.ts';

const PASSWORD = 'smtp-pass-77aa';
const admin = basic('admin', 'gridflow-demo');

interface Mail { from: string; to: string[]; raw: string; user: string | undefined }

/** Decodes RFC 2047 words and a single-part body (quoted-printable or base64). */
function decodeMail(raw: string): { subject: string; text: string } {
  const [head, ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head!.replace(/\r?\n[ \t]+/g, ' ');
  const words = (s: string) => s.replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) => enc.toUpperCase() === 'B'
    ? Buffer.from(data, 'base64').toString('utf8')
    : Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8'));
  const subject = words(/^Subject: (.*)$/im.exec(headers)?.[1] ?? '');
  const encoding = /^Content-Transfer-Encoding: (.*)$/im.exec(headers)?.[1]?.trim().toLowerCase();
  const body = rest.join('\n\n');
  const text = encoding === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8')
    : encoding === 'quoted-printable' ? Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8')
    : body;
  return { subject, text };
}

const diagram = bpmn('notify_officer', `<bpmn:startEvent id="s"/>${flow('f1', 's', 'mail')}
  <bpmn:sendTask id="mail" name="通知部门"><bpmn:extensionElements><zeebe:taskDefinition type="gridflow.notify.email" retries="2"/>
    <zeebe:ioMapping>
      <zeebe:input source="=officerEmail" target="to"/>
      <zeebe:input source="【企业服务】{{caseNumber}} 办理提醒" target="subject"/>
      <zeebe:input source="您好：&#10;诉求件 {{caseNumber}}（{{enterprise.name}}）请于 {{deadline}} 前办结。" target="body"/>
    </zeebe:ioMapping>
    <zeebe:taskHeaders><zeebe:header key="resultVariable" value="mailReceipt"/></zeebe:taskHeaders>
  </bpmn:extensionElements></bpmn:sendTask>${flow('f2', 'mail', 'e')}<bpmn:endEvent id="e"/>`);

const until = <T>(fn: () => Promise<T | undefined | null | false>, ms = 20_000) => pollUntil(fn, ms, 50);

describe('plugin: e-mail notification', function () {
  this.timeout(60_000);
  let app: SecureApp;
  let smtp: SMTPServer;
  const mails: Mail[] = [];

  before(async () => {
    smtp = new SMTPServer({
      secure: false, disabledCommands: ['STARTTLS'], allowInsecureAuth: true, authOptional: false, logger: false,
      onAuth(auth, _session, cb) {
        if (auth.username === 'gridflow' && auth.password === PASSWORD) cb(null, { user: auth.username });
        else cb(new Error('Invalid username or password'));
      },
      onRcptTo(address, _session, cb) {
        if (address.address.endsWith('@nowhere.invalid')) cb(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        else cb();
      },
      onData(stream, session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push({ from: String((session.envelope.mailFrom as { address: string }).address), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8'), user: session.user as string | undefined });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    const port = (smtp.server.address() as AddressInfo).port;
    app = await startSecureApp('plugin_notification', { features: [createPluginsFeature({ env: { ...process.env, GRIDFLOW_SECRET_SMTP_PASSWORD: PASSWORD } })] });
    const r = await app.call(admin, 'PUT', '/api/plugins/notification/settings', {
      host: '127.0.0.1', port, secure: false, user: 'gridflow', password: '{{secrets.SMTP_PASSWORD}}', from: '经开区企业服务中心 <service@zone.example.cn>',
    });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.settings.password, '{{secrets.SMTP_PASSWORD}}', 'the settings keep the placeholder');
  });
  after(async () => {
    await app?.close();
    await new Promise<void>((r) => (smtp ? smtp.close(() => r()) : r()));
  });

  it('sends the templated e-mail, authenticated with the secret password', async () => {
    await app.runtime.deploy([{ name: 'notify.bpmn', content: diagram }]);
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: 'notify_officer', variables: {
      officerEmail: 'officer@market.example.cn', caseNumber: 'GF-2026-0107', enterprise: { name: '苏州恒瑞精密机械有限公司' }, deadline: '2026-12-03',
    } });
    await until(async () => (await app.runtime.getProcessInstance(processInstanceKey)).state === 'COMPLETED');
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.equal(mail.user, 'gridflow');
    assert.deepEqual(mail.to, ['officer@market.example.cn']);
    assert.equal(mail.from, 'service@zone.example.cn');
    const { subject, text } = decodeMail(mail.raw);
    assert.equal(subject, '【企业服务】GF-2026-0107 办理提醒');
    assert.match(text, /诉求件 GF-2026-0107（苏州恒瑞精密机械有限公司）请于 2026-12-03 前办结。/);
    const receipt = (await app.runtime.searchVariables({ filter: { processInstanceKey, name: 'mailReceipt' } })).items[0]!;
    assert.deepEqual(JSON.parse(receipt.value).accepted, ['officer@market.example.cn']);
    assert.ok(!JSON.stringify(await app.runtime.history(processInstanceKey)).includes(PASSWORD));
  });

  it('a refused recipient is an incident naming the SMTP answer, not retried', async () => {
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: 'notify_officer', variables: {
      officerEmail: 'ghost@nowhere.invalid', caseNumber: 'GF-2026-0108', enterprise: { name: 'x' }, deadline: '2026-12-04',
    } });
    const incident = await until(async () => (await app.runtime.searchIncidents({ filter: { processInstanceKey } })).items[0]);
    assert.match(incident.errorMessage, /Plugin 'notification' \(job type 'gridflow\.notify\.email'\): sending the e-mail failed: .*550/);
    assert.equal((await app.runtime.history(processInstanceKey)).filter((h) => h.event === 'JOB_FAILED').length, 0);
  });

  it('a refused login is an incident naming the SMTP answer, without the password', async () => {
    await app.call(admin, 'PUT', '/api/plugins/notification/settings', { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, user: 'gridflow', password: 'wrong-password-1', from: 'x@zone.example.cn' });
    const { processInstanceKey } = await app.runtime.createProcessInstance({ processDefinitionId: 'notify_officer', variables: {
      officerEmail: 'officer@market.example.cn', caseNumber: 'GF-2026-0109', enterprise: { name: 'x' }, deadline: '2026-12-05',
    } });
    const incident = await until(async () => (await app.runtime.searchIncidents({ filter: { processInstanceKey } })).items[0]);
    assert.match(incident.errorMessage, /sending the e-mail failed: EAUTH 535/);
    assert.ok(!incident.errorMessage.includes('wrong-password-1'));
  });

  it('templates: {{path}} from the variables, empty when missing, HTML-escaped in the HTML body', () => {
    const vars = { caseNumber: 'GF-1', enterprise: { name: '<b>恒瑞</b>' }, tags: ['a', 'b'] };
    assert.equal(fill('{{caseNumber}} {{enterprise.name}} {{nothing.here}} {{ tags }}', vars), 'GF-1 <b>恒瑞</b>  ["a","b"]');
    assert.equal(fill('<p>{{enterprise.name}}</p>', vars, true), '<p>&lt;b&gt;恒瑞&lt;/b&gt;</p>');
  });
});
