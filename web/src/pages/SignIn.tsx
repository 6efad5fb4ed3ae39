import { JSX } from 'preact';
import { useState } from 'preact/hooks';
import { HttpError, Session, signIn } from '../lib/api';
import { t } from '../lib/i18n';

export function SignIn(props: { onSignedIn: (s: Session) => void; langSelect: JSX.Element }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      props.onSignedIn(await signIn(login.trim(), password));
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) setError(t('signin.wrong'));
      else if (err instanceof HttpError && err.status === 429) setError(t('signin.throttled'));
      else setError(t('signin.failed'));
      setBusy(false);
    }
  };
  return (
    <main class="signin" id="main">
      <div class="signin-lang">{props.langSelect}</div>
      <form class="card" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">{t('signin.title')}</h1>
        <p class="muted">{t('signin.intro')}</p>
        <label>
          {t('signin.login')}
          <input name="login" autocomplete="username" required value={login} onInput={(e) => setLogin(e.currentTarget.value)} />
        </label>
        <label>
          {t('signin.password')}
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </label>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t('signin.submit')}
        </button>
      </form>
    </main>
  );
}
