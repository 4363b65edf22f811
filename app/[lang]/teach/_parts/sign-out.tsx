import type { Lang } from '../../../../lib/protocol.ts';
import { uiText } from '../../../_i18n/ui-text.ts';
import styles from './forms.module.css';

/** Who is signed in, and the sign-out button. */
export function SignedInBar({ lang, name }: { lang: Lang; name: string }) {
  const t = uiText(lang).teach;
  return (
    <form method="post" action="/api/teach/sign-out" className={styles.inline}>
      <input type="hidden" name="lang" value={lang} />
      <span className={styles.meta}>{t.signedInAs(name)}</span>
      <button type="submit" className="btn btn-ghost">
        {t.signOut}
      </button>
    </form>
  );
}
