// Loads a page's module (its own chunk, with its stylesheet) and renders it; a page that throws
// shows an error in its place, not a blank app.
import { Component, type ComponentChildren, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../core/messages.ts';
import { stylesReady } from '../core/styles.ts';
import type { PageDef, PageProps } from '../page.ts';
import { Button, Loading } from './components.tsx';

const modules = new Map<string, ComponentType<PageProps>>();

class Boundary extends Component<{ children: ComponentChildren; resetKey: string }, { error?: unknown; key?: string }> {
  state: { error?: unknown; key?: string } = {};
  static getDerivedStateFromProps(props: { resetKey: string }, state: { key?: string }) {
    return props.resetKey !== state.key ? { error: undefined, key: props.resetKey } : null;
  }
  componentDidCatch(error: unknown) {
    console.error('page failed', error);
    this.setState({ error });
  }
  render() {
    if (this.state.error !== undefined) {
      return <div class="alert alert-error row" role="alert"><span class="grow">{t('loadFailed')}</span><Button size="sm" onClick={() => location.reload()}>{t('retry')}</Button></div>;
    }
    return this.props.children;
  }
}

export function PageHost({ page, props }: { page: PageDef; props: PageProps }) {
  const [Page, setPage] = useState<ComponentType<PageProps> | undefined>(() => modules.get(page.id));
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const known = modules.get(page.id);
    if (known) { setPage(() => known); return; }
    let live = true;
    setPage(undefined);
    setFailed(false);
    page.load().then(async (m) => {
      await stylesReady();
      modules.set(page.id, m.default);
      if (live) setPage(() => m.default);
    }, (err: unknown) => { console.error(err); if (live) setFailed(true); });
    return () => { live = false; };
  }, [page.id]);
  if (failed) return <div class="alert alert-error" role="alert">{t('loadFailed')}</div>;
  if (!Page) return <Loading />;
  return <Boundary resetKey={page.id}><Page {...props} /></Boundary>;
}
