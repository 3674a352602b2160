// The form viewer, loaded when a form is first shown: form-js is the largest part of the work
// pages, and the tasklist's list needs none of it.
import { forwardRef } from 'preact/compat';
import { useEffect, useState } from 'preact/hooks';
import { stylesReady } from '../core/styles.ts';
import { Loading } from './components.tsx';
import type { FormHandle, FormViewProps } from './form-view.tsx';

type Module = typeof import('./form-view.tsx');
let loaded: Module | undefined;
let pending: Promise<Module> | undefined;
const load = () => (pending ??= import('./form-view.tsx').then(async (m) => { await stylesReady(); loaded = m; return m; }));

export const LazyFormView = forwardRef<FormHandle, FormViewProps>(function LazyFormView(props, ref) {
  const [mod, setMod] = useState<Module | undefined>(loaded);
  useEffect(() => {
    if (mod) return;
    let live = true;
    void load().then((m) => { if (live) setMod(m); });
    return () => { live = false; };
  }, []);
  if (!mod) return <Loading />;
  return <mod.FormView ref={ref} {...props} />;
});

/** Starts loading the viewer early (e.g. when a task is opened, before its data arrives). */
export const preloadFormView = (): void => { void load(); };
