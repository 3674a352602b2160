// A form's `validate.pattern` is a regular expression the server runs on every submission. One that
// backtracks catastrophically (`(a+)+$` takes exponential time, `\d+\d+$` polynomial time in the
// length of the text) would let a single form, or an uploaded `.form`, freeze the platform. So a
// pattern is accepted only once recheck (an automaton-based ReDoS checker, fuzzing where automata
// cannot decide: back-references, look-arounds) finds it safe; its verdicts are cached. Matching
// keeps JavaScript's RegExp, so a pattern means on the server what it means in form-js, and the
// text a pattern is run on is bounded as well (MAX_PATTERN_SUBJECT_LENGTH).
import { checkSync } from 'recheck';
import { PATTERN_CHECK_TIMEOUT_MS } from './limits.ts';
import { Lru } from './lru.ts';

const verdicts = new Lru<string, { hazard: string | null }>(1_000);

/** Why a (syntactically valid) pattern must not be deployed, or null when it is safe to run. */
export function patternHazard(source: string): string | null {
  const known = verdicts.get(source);
  if (known) return known.hazard;
  const hazard = judge(source);
  verdicts.set(source, { hazard });
  return hazard;
}

function judge(source: string): string | null {
  let result: ReturnType<typeof checkSync>;
  try {
    result = checkSync(source, '', { timeout: PATTERN_CHECK_TIMEOUT_MS });
  } catch (err) {
    return `could not be checked for catastrophic backtracking (${(err as Error).message}); simplify it`;
  }
  switch (result.status) {
    case 'safe':
      return null;
    case 'vulnerable': {
      const c = result.complexity;
      const growth = c.type === 'exponential' ? 'exponential' : `polynomial (degree ${c.degree})`;
      return `can take ${growth} time in the length of the text (catastrophic backtracking), e.g. on ${example(result.attack.pattern)}; `
        + 'rewrite it without nested or overlapping repetition';
    }
    default: {
      const e = result.error;
      const why = e.kind === 'timeout' ? `the check took longer than ${PATTERN_CHECK_TIMEOUT_MS} ms` : 'message' in e ? `${e.kind}: ${e.message}` : e.kind;
      return `could not be shown free of catastrophic backtracking (${why}); simplify it`;
    }
  }
}

/** recheck writes an attack as a JavaScript expression, e.g. `'a'.repeat(31) + '\x00'`. */
function example(attack: string): string {
  return attack.length > 80 ? `${attack.slice(0, 77)}...` : attack;
}
