// Loads data for a component: the value, the error, whether it is loading, and reload().
// A newer load supersedes an older one still on its way (its answer is dropped).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Loaded<T> { data: T | undefined; error: unknown; loading: boolean; reload(): void }

export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({ data: undefined, error: undefined, loading: true });
  const [tick, setTick] = useState(0);
  const latest = useRef(0);
  useEffect(() => {
    const id = ++latest.current;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    load(ctl.signal).then(
      (data) => { if (id === latest.current) setState({ data, error: undefined, loading: false }); },
      (error: unknown) => { if (id === latest.current && !ctl.signal.aborted) setState((s) => ({ data: s.data, error, loading: false })); },
    );
    return () => ctl.abort();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}
