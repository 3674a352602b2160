// The runtime scenarios on the embedded runtime (always).
import { embeddedHarness } from './harness.ts';
import { runScenarios } from './suite.ts';

runScenarios('the embedded runtime', embeddedHarness);
