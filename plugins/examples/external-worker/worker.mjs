#!/usr/bin/env node
// An external job worker, outside the platform process, written with Camunda's own client
// (@camunda8/orchestration-cluster-api). It serves the job type `dept-market.credit-check` for
// the market supervision bureau (市场监督管理局): it looks the enterprise's unified social credit
// code (USCC) up in the bureau's register and completes the job with the result. Anything that
// speaks Camunda's job API can serve a job type this way, in any language, on any machine.
//
// Configuration is Camunda's own (the same variables work against a Camunda 8 cluster):
//   CAMUNDA_REST_ADDRESS       the platform, default http://localhost:3000
//   CAMUNDA_AUTH_STRATEGY      OAUTH (default) or BASIC
//   CAMUNDA_OAUTH_URL          default <address>/oauth/token
//   CAMUNDA_CLIENT_ID / CAMUNDA_CLIENT_SECRET             for OAUTH (default demo-worker / demo-worker-secret)
//   CAMUNDA_BASIC_AUTH_USERNAME / CAMUNDA_BASIC_AUTH_PASSWORD   for BASIC
//
//   node plugins/examples/external-worker/worker.mjs
import { createCamundaClient } from '@camunda8/orchestration-cluster-api';

const JOB_TYPE = 'dept-market.credit-check';
const env = process.env;
const address = env.CAMUNDA_REST_ADDRESS ?? 'http://localhost:3000';
const strategy = (env.CAMUNDA_AUTH_STRATEGY ?? 'OAUTH').toUpperCase();

const auth = strategy === 'BASIC'
  ? { CAMUNDA_AUTH_STRATEGY: 'BASIC', CAMUNDA_BASIC_AUTH_USERNAME: env.CAMUNDA_BASIC_AUTH_USERNAME ?? 'demo-worker', CAMUNDA_BASIC_AUTH_PASSWORD: env.CAMUNDA_BASIC_AUTH_PASSWORD ?? 'demo-worker-secret' }
  : strategy === 'NONE'
    ? { CAMUNDA_AUTH_STRATEGY: 'NONE' }
    : {
      CAMUNDA_AUTH_STRATEGY: 'OAUTH',
      CAMUNDA_OAUTH_URL: env.CAMUNDA_OAUTH_URL ?? `${address}/oauth/token`,
      CAMUNDA_CLIENT_ID: env.CAMUNDA_CLIENT_ID ?? 'demo-worker',
      CAMUNDA_CLIENT_SECRET: env.CAMUNDA_CLIENT_SECRET ?? 'demo-worker-secret',
      CAMUNDA_TOKEN_AUDIENCE: env.CAMUNDA_TOKEN_AUDIENCE ?? 'zeebe-api',
    };

const camunda = createCamundaClient({ config: { CAMUNDA_REST_ADDRESS: address, CAMUNDA_SDK_LOG_LEVEL: env.CAMUNDA_SDK_LOG_LEVEL ?? 'error', ...auth } });

/** GB 32100-2015: 18 characters, the last a check character over the first 17. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
function isUscc(code) {
  if (typeof code !== 'string' || !/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(code)) return false;
  const sum = USCC_WEIGHTS.reduce((s, w, i) => s + USCC_CHARS.indexOf(code[i]) * w, 0);
  return USCC_CHARS[(31 - (sum % 31)) % 31] === code[17];
}

/** Stands in for the bureau's register; a real worker would query the bureau's own system here. */
const REGISTER = new Map([
  ['91320594MA1W2X3Y4X', { name: '苏州恒瑞精密机械有限公司', status: '存续', abnormalOperation: false, seriousViolation: false }],
  ['91320594MA27Q8LN0C', { name: '苏州启明新材料科技有限公司', status: '存续', abnormalOperation: true, seriousViolation: false }],
]);

camunda.createJobWorker({
  jobType: JOB_TYPE,
  workerName: 'dept-market-credit-check',
  maxParallelJobs: 4,
  jobTimeoutMs: 30_000,
  pollTimeoutMs: 10_000,
  jobHandler: async (job) => {
    const uscc = job.variables.enterprise?.uscc ?? job.variables.uscc;
    if (!isUscc(uscc)) {
      // A business outcome the diagram handles with an error boundary event, not a technical failure.
      return job.error({ errorCode: 'INVALID_USCC', errorMessage: `'${String(uscc).slice(0, 40)}' is not a valid unified social credit code` });
    }
    const found = REGISTER.get(uscc);
    const creditCheck = found
      ? { uscc, found: true, ...found, checkedAt: new Date().toISOString() }
      : { uscc, found: false, checkedAt: new Date().toISOString() };
    console.log(`credit check ${uscc}: ${found ? found.status : 'not found'}`);
    return job.complete({ creditCheck });
  },
});

console.log(`worker for '${JOB_TYPE}' polling ${address} (${strategy})`);

const stop = () => {
  camunda.stopAllWorkers();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
