import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getSession, Session, setCsrf, setUnauthorizedHandler, signOut } from './lib/api';
import { Lang, getLang, setLang, t } from './lib/i18n';
import { currentPath, linkClick, navigate, onRoute } from './lib/router';
import { SignIn } from './pages/SignIn';
import { Files } from './pages/Files';
import './styles.css';

// Pages other than Files load on demand, so the first page stays small.
type PageModule = { default: (p: { session: Session; path: string; refreshSession: () => void }) => preact.JSX.Element };
const lazyPages: Record<string, () => Promise<PageModule>> = {
  calendar: () => import('./pages/Calendar'),
  contacts: () => import('./pages/Contacts'),
  devices: () => import('./pages/Devices'),
  admin: () => import('./pages/Admin'),
};

function Lazy(props: { name: string; session: Session; path: string; refreshSession: () => void }) {
  const [mod, setMod] = useState<PageModule | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    setMod(null);
    lazyPages[props.name]()
      .then(setMod)
      .catch(() => setFailed(true));
  }, [props.name]);
  if (failed) return <p role="alert">{t('loadFailed')}</p>;
  if (!mod) return <p class="muted" aria-live="polite">{t('loading')}</p>;
  const Page = mod.default;
  return <Page session={props.session} path={props.path} refreshSession={props.refreshSession} />;
}

function App() {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [path, setPath] = useState(currentPath());
  const [, setLangState] = useState<Lang>(getLang());

  useEffect(() => onRoute(() => setPath(currentPath())), []);
  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrf('');
      setSession(null);
    });
    getSession()
      .then((s) => {
        if (s) setCsrf(s.csrf);
        setSession(s);
      })
      .catch(() => setSession(null));
  }, []);

  const refreshSession = () => {
    getSession().then((s) => {
      if (s) setCsrf(s.csrf);
      setSession(s);
    });
  };

  const changeLang = (l: Lang) => {
    setLang(l);
    setLangState(l);
  };

  const section = path.split('/')[1] || '';
  useEffect(() => {
    if (session && (section === '' || section === 'signin')) navigate('/files/', true);
  }, [session, section]);
  useEffect(() => {
    const names: Record<string, string> = {
      files: t('nav.files'),
      calendar: t('nav.calendar'),
      contacts: t('nav.contacts'),
      devices: t('nav.devices'),
      admin: t('nav.admin'),
    };
    document.title = session ? `${names[section] ?? ''} · Regie` : `${t('signin.title')} · Regie`;
  });

  const langSelect = (
    <label class="lang">
      <span class="sr-only">{t('language')}</span>
      <select value={getLang()} onChange={(e) => changeLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
        <option value="en" lang="en">English</option>
        <option value="nl" lang="nl">Nederlands</option>
      </select>
    </label>
  );

  if (session === undefined) return <p class="muted center">{t('loading')}</p>;
  if (session === null)
    return (
      <SignIn
        langSelect={langSelect}
        onSignedIn={(s) => {
          setCsrf(s.csrf);
          setSession(s);
          navigate('/files/', true);
        }}
      />
    );

  const isAdmin = session.role === 'operator' || session.role === 'org-admin';
  const nav = [
    ['files', '/files/', t('nav.files')],
    ['calendar', '/calendar', t('nav.calendar')],
    ['contacts', '/contacts', t('nav.contacts')],
    ['devices', '/devices', t('nav.devices')],
    ...(isAdmin ? [['admin', '/admin', t('nav.admin')]] : []),
  ];
  let page;
  if (section === 'files' || section === '' || section === 'signin') page = <Files session={session} path={path} refreshSession={refreshSession} />;
  else if (lazyPages[section] && (section !== 'admin' || isAdmin))
    page = <Lazy name={section} session={session} path={path} refreshSession={refreshSession} />;
  else page = <p>{t('notFound')}</p>;

  return (
    <div class="shell">
      <a class="skip" href="#main">
        {t('skip')}
      </a>
      <header class="top">
        <span class="brand">Regie</span>
        <nav aria-label={t('nav.main')}>
          <ul>
            {nav.map(([key, href, label]) => (
              <li key={key}>
                <a href={href} onClick={linkClick} aria-current={section === key ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div class="user">
          {langSelect}
          <span class="who" title={session.email}>
            {session.display_name || session.user}
          </span>
          <button
            type="button"
            onClick={async () => {
              await signOut().catch(() => {});
              setCsrf('');
              setSession(null);
              navigate('/signin', true);
            }}
          >
            {t('signout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
