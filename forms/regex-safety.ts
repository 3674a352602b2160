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

/**
 * Why a (syntactically valid) pattern must not be deployed, or null when it is safe to run. The
 * check blocks its caller, for at most PATTERN_CHECK_TIMEOUT_MS and never past `deadline` (a
 * pattern not checked in time is refused; a verdict reached is remembered).
 */
export function patternHazard(source: string, deadline = Infinity): string | null {
  const known = verdicts.get(source);
  if (known) return known.hazard;
  const timeout = Math.min(PATTERN_CHECK_TIMEOUT_MS, deadline - Date.now());
  if (timeout < 50) return 'was not checked for catastrophic backtracking: the form\'s patterns took too long to check in all; use fewer or simpler ones';
  const { hazard, transient } = judge(source, timeout);
  // A failure of the checker, or a time-out under a shortened allowance, says nothing about the
  // pattern itself: not remembered.
  if (!transient) verdicts.set(source, { hazard });
  return hazard;
}

function judge(source: string, timeout: number): { hazard: string | null; transient: boolean } {
  let result: ReturnType<typeof checkSync>;
  try {
    result = checkSync(source, '', { timeout });
  } catch (err) {
    return { hazard: `could not be checked for catastrophic backtracking (${(err as Error).message})`, transient: true };
  }
  switch (result.status) {
    case 'safe':
      return { hazard: null, transient: false };
    case 'vulnerable': {
      const c = result.complexity;
      const growth = c.type === 'exponential' ? 'exponential' : `polynomial (degree ${c.degree})`;
      return {
        hazard: `can take ${growth} time in the length of the text (catastrophic backtracking), e.g. on ${example(result.attack.pattern)}; `
          + 'rewrite it without nested or overlapping repetition',
        transient: false,
      };
    }
    default: {
      const e = result.error;
      const why = e.kind === 'timeout' ? `the check took longer than ${timeout} ms` : 'message' in e ? `${e.kind}: ${e.message}` : e.kind;
      return { hazard: `could not be shown free of catastrophic backtracking (${why}); simplify it`, transient: e.kind === 'timeout' && timeout < PATTERN_CHECK_TIMEOUT_MS };
    }
  }
}

/** recheck writes an attack as a JavaScript expression, e.g. `'a'.repeat(31) + '\x00'`. */
function example(attack: string): string {
  return attack.length > 80 ? `${attack.slice(0, 77)}...` : attack;
}
