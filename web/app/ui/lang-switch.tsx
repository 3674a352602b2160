import { getLocale, setLocale, type Locale } from '../core/i18n.ts';
import { t } from '../core/messages.ts';

const LABELS: Record<Locale, string> = { zh: '中文', en: 'English' };

/** 中文 | English, remembered in this browser. */
export function LangSwitch() {
  const current = getLocale();
  return (
    <div class="lang-switch" role="group" aria-label={t('language')}>
      {(['zh', 'en'] as const).map((l) => (
        <button type="button" key={l} lang={l === 'zh' ? 'zh-CN' : 'en'} aria-pressed={current === l ? 'true' : 'false'} onClick={() => setLocale(l)}>{LABELS[l]}</button>
      ))}
    </div>
  );
}
