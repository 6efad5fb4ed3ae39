// Connect your devices: the URLs and settings, short how-tos, a QR code, the .mobileconfig, app
// passwords and the password change.
import { useEffect, useState } from 'preact/hooks';
import { HttpError, json, Session } from '../lib/api';
import { t } from '../lib/i18n';
import { Confirm, errMsg, ErrorText } from '../lib/ui';

function Qr(props: { text: string; label: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    import('qrcode-generator').then((m) => {
      const qrcode = (m as unknown as { default: typeof import('qrcode-generator') }).default ?? m;
      const qr = (qrcode as unknown as (t: number, e: string) => { addData(s: string): void; make(): void; createDataURL(c: number, m: number): string })(0, 'M');
      qr.addData(props.text);
      qr.make();
      setSrc(qr.createDataURL(5, 4));
    });
  }, [props.text]);
  return src ? <img class="qr" src={src} alt={props.label} width={200} height={200} /> : null;
}

function Field(props: { label: string; value: string; id: string }) {
  return (
    <div class="copy-field">
      <label for={props.id}>{props.label}</label>
      <div class="row2">
        <input id={props.id} readOnly value={props.value} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" class="small" aria-label={t('copyX', { name: props.label })} onClick={() => navigator.clipboard?.writeText(props.value)}>
          {t('copy')}
        </button>
      </div>
    </div>
  );
}

export default function DevicesPage(props: { session: Session }) {
  const origin = location.origin;
  const u = encodeURIComponent(props.session.user);
  const files = `${origin}/dav/files/${u}/`;
  const cal = `${origin}/dav/calendars/${u}/`;
  const card = `${origin}/dav/addressbooks/${u}/`;
  const host = location.host;
  return (
    <section class="devices-page" aria-labelledby="devices-title">
      <h1 id="devices-title">{t('nav.devices')}</h1>
      <p>{t('dev.intro')}</p>
      <div class="devices-grid">
        <section class="card" aria-labelledby="dev-settings">
          <h2 id="dev-settings">{t('dev.settings')}</h2>
          <Field id="f-server" label={t('dev.server')} value={`${origin}/`} />
          <Field id="f-user" label={t('dev.username')} value={props.session.user} />
          <Field id="f-files" label={t('dev.webdav')} value={files} />
          <Field id="f-cal" label={t('dev.caldav')} value={cal} />
          <Field id="f-card" label={t('dev.carddav')} value={card} />
          <p class="muted">{t('dev.passwordHint')}</p>
        </section>
        <section class="card" aria-labelledby="dev-phone">
          <h2 id="dev-phone">{t('dev.phone')}</h2>
          <p>{t('dev.qrHint')}</p>
          <Qr text={`${origin}/dav/`} label={t('dev.qrAlt', { url: `${origin}/dav/` })} />
          <p>
            <a class="button" href="/api/v1/mobileconfig" download="regie.mobileconfig">
              {t('dev.mobileconfig')}
            </a>
          </p>
        </section>
      </div>
      <section class="card howto" aria-labelledby="dev-howto">
        <h2 id="dev-howto">{t('dev.howto')}</h2>
        <details>
          <summary>Thunderbird</summary>
          <p>{t('dev.thunderbird', { server: `${origin}/`, user: props.session.user })}</p>
        </details>
        <details>
          <summary>DAVx⁵ (Android)</summary>
          <p>{t('dev.davx5', { server: `${origin}/dav/`, user: props.session.user })}</p>
        </details>
        <details>
          <summary>iOS / macOS</summary>
          <p>{t('dev.apple', { host })}</p>
        </details>
        <details>
          <summary>Windows Explorer</summary>
          <p>{t('dev.windows', { url: files })}</p>
        </details>
        <details>
          <summary>rclone</summary>
          <pre tabIndex={0}>{`rclone config create regie webdav url=${files} vendor=other user=${props.session.user} pass=$(rclone obscure 'APP-PASSWORD')\nrclone ls regie:`}</pre>
        </details>
      </section>
      <AppPasswords />
      <ChangePassword />
    </section>
  );
}

interface AppPassword {
  label: string;
  created: number;
}

function AppPasswords() {
  const [list, setList] = useState<AppPassword[] | null>(null);
  const [label, setLabel] = useState('');
  const [shown, setShown] = useState<{ label: string; password: string } | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    json<AppPassword[]>('GET', '/api/v1/app-passwords')
      .then(setList)
      .catch((e) => setError(errMsg(e)));
  useEffect(() => {
    load();
  }, []);
  return (
    <section class="card" aria-labelledby="ap-title">
      <h2 id="ap-title">{t('ap.title')}</h2>
      <p class="muted">{t('ap.intro')}</p>
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          try {
            const r = await json<{ label: string; password: string }>('POST', '/api/v1/app-passwords', { label: label.trim() });
            setShown(r);
            setLabel('');
            load();
          } catch (err) {
            setError(err instanceof HttpError && err.status === 409 ? t('ap.exists') : errMsg(err));
          }
        }}
      >
        <label>
          {t('ap.label')}
          <input value={label} required maxLength={64} placeholder={t('ap.placeholder')} onInput={(e) => setLabel(e.currentTarget.value)} />
        </label>
        <button type="submit" class="primary">
          {t('ap.create')}
        </button>
      </form>
      {shown && (
        <div class="notice" role="status">
          <p>{t('ap.shownOnce', { label: shown.label })}</p>
          <Field id="ap-new" label={t('ap.password')} value={shown.password} />
          <button type="button" class="small" onClick={() => setShown(null)}>
            {t('ap.done')}
          </button>
        </div>
      )}
      <ErrorText error={error} />
      {list && list.length > 0 ? (
        <table class="table">
          <caption class="sr-only">{t('ap.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('ap.label')}</th>
              <th scope="col">{t('ap.created')}</th>
              <th scope="col">
                <span class="sr-only">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.label}>
                <td>{a.label}</td>
                <td>{new Date(a.created * 1000).toLocaleString()}</td>
                <td>
                  <button type="button" class="small danger" aria-label={t('ap.revokeX', { name: a.label })} onClick={() => setRevoking(a.label)}>
                    {t('ap.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        list && <p class="muted">{t('ap.none')}</p>
      )}
      {revoking && (
        <Confirm
          title={t('ap.revoke')}
          text={t('ap.revokeText', { name: revoking })}
          action={t('ap.revoke')}
          onClose={() => setRevoking(null)}
          onConfirm={async () => {
            try {
              await json('DELETE', `/api/v1/app-passwords/${encodeURIComponent(revoking)}`);
            } catch (e) {
              setError(errMsg(e));
            }
            setRevoking(null);
            load();
          }}
        />
      )}
    </section>
  );
}

function ChangePassword() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [ok, setOk] = useState('');
  return (
    <section class="card" aria-labelledby="pw-title">
      <h2 id="pw-title">{t('pw.title')}</h2>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setError(null);
          setOk('');
          if (next.length < 8) return setError(t('pw.short'));
          if (next !== again) return setError(t('pw.mismatch'));
          try {
            await json('POST', '/api/v1/password', { current, new: next });
            setOk(t('pw.changed'));
            setCurrent('');
            setNext('');
            setAgain('');
          } catch (err) {
            setError(err instanceof HttpError && err.status === 403 ? t('pw.wrong') : errMsg(err));
          }
        }}
      >
        <input type="text" autocomplete="username" hidden aria-hidden="true" tabIndex={-1} />
        <label>
          {t('pw.current')}
          <input type="password" autocomplete="current-password" required value={current} onInput={(e) => setCurrent(e.currentTarget.value)} />
        </label>
        <label>
          {t('pw.new')}
          <input type="password" autocomplete="new-password" required minLength={8} value={next} onInput={(e) => setNext(e.currentTarget.value)} />
        </label>
        <label>
          {t('pw.again')}
          <input type="password" autocomplete="new-password" required minLength={8} value={again} onInput={(e) => setAgain(e.currentTarget.value)} />
        </label>
        <ErrorText error={error} />
        {ok && <p role="status">{ok}</p>}
        <button type="submit" class="primary">
          {t('pw.submit')}
        </button>
      </form>
    </section>
  );
}
