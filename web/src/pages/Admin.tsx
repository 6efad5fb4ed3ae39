// Administration: organisations, users (create, disable, reset password, quota), storage used.
import { useEffect, useState } from 'preact/hooks';
import { formatBytes, HttpError, json, Session } from '../lib/api';
import { getLang, t } from '../lib/i18n';
import { errMsg, ErrorText, Modal } from '../lib/ui';

interface Org {
  name: string;
  domains: string[];
  quota: number;
  used: number;
  users: number;
  disabled: boolean;
}
interface User {
  login: string;
  org: string;
  role: string;
  display_name?: string;
  email?: string;
  quota: number;
  used: number;
  disabled: boolean;
}

const GB = 1024 * 1024 * 1024;
function parseQuota(s: string): number {
  const v = Number(s.replace(',', '.'));
  return Number.isFinite(v) && v > 0 ? Math.round(v * GB) : 0;
}
function quotaText(q: number): string {
  return q ? formatBytes(q, getLang()) : t('admin.unlimited');
}

export default function AdminPage(props: { session: Session }) {
  const operator = props.session.role === 'operator';
  const [orgs, setOrgs] = useState<Org[] | null>(null);
  const [users, setUsers] = useState<User[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ login: string; password: string } | null>(null);
  const [quotaFor, setQuotaFor] = useState<User | null>(null);
  const [status, setStatus] = useState('');

  const load = async () => {
    try {
      const [o, u] = await Promise.all([json<Org[]>('GET', '/api/v1/admin/orgs'), json<User[]>('GET', '/api/v1/admin/users')]);
      setOrgs(o);
      setUsers(u);
    } catch (e) {
      setError(errMsg(e));
    }
  };
  useEffect(() => {
    load();
  }, []);
  const act = async (fn: () => Promise<void>, msg: string) => {
    setError(null);
    try {
      await fn();
      setStatus(msg);
      load();
    } catch (e) {
      setError(errMsg(e));
    }
  };
  const lang = getLang();
  return (
    <section class="admin-page" aria-labelledby="admin-title">
      <h1 id="admin-title">{t('nav.admin')}</h1>
      <ErrorText error={error} />
      <p aria-live="polite" class="status">
        {status}
      </p>
      {secret && (
        <div class="notice" role="status">
          <p>{t('admin.passwordFor', { login: secret.login })}</p>
          <p>
            <code class="secret">{secret.password}</code>
          </p>
          <button type="button" class="small" onClick={() => setSecret(null)}>
            {t('ap.done')}
          </button>
        </div>
      )}
      <section class="card" aria-labelledby="orgs-title">
        <h2 id="orgs-title">{t('admin.orgs')}</h2>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.name')}</th>
                <th scope="col">{t('admin.domains')}</th>
                <th scope="col">{t('admin.users')}</th>
                <th scope="col">{t('admin.used')}</th>
                <th scope="col">{t('admin.quota')}</th>
                <th scope="col">{t('admin.state')}</th>
              </tr>
            </thead>
            <tbody>
              {(orgs ?? []).map((o) => (
                <tr key={o.name}>
                  <td>{o.name}</td>
                  <td>{(o.domains ?? []).join(', ')}</td>
                  <td>{o.users}</td>
                  <td>{formatBytes(o.used, lang)}</td>
                  <td>{quotaText(o.quota)}</td>
                  <td>{o.disabled ? t('admin.disabled') : t('admin.active')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {operator && <NewOrg done={(name) => act(async () => {}, t('admin.orgCreated', { name }))} />}
      </section>
      <section class="card" aria-labelledby="users-title">
        <h2 id="users-title">{t('admin.usersTitle')}</h2>
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('admin.login')}</th>
                <th scope="col">{t('admin.org')}</th>
                <th scope="col">{t('admin.role')}</th>
                <th scope="col">{t('admin.used')}</th>
                <th scope="col">{t('admin.quota')}</th>
                <th scope="col">{t('admin.state')}</th>
                <th scope="col">{t('actions')}</th>
              </tr>
            </thead>
            <tbody>
              {(users ?? []).map((u) => (
                <tr key={u.login}>
                  <td>
                    {u.login}
                    {u.display_name && <small class="block">{u.display_name}</small>}
                  </td>
                  <td>{u.org}</td>
                  <td>{t(`role.${u.role}`)}</td>
                  <td>{formatBytes(u.used, lang)}</td>
                  <td>{quotaText(u.quota)}</td>
                  <td>{u.disabled ? t('admin.disabled') : t('admin.active')}</td>
                  <td>
                    <div class="cell-actions">
                    <button type="button" class="small" aria-label={t('admin.quotaX', { name: u.login })} onClick={() => setQuotaFor(u)}>
                      {t('admin.setQuota')}
                    </button>
                    <button
                      type="button"
                      class="small"
                      aria-label={t('admin.resetX', { name: u.login })}
                      onClick={() =>
                        act(async () => {
                          const r = await json<{ password: string }>('POST', `/api/v1/admin/users/${encodeURIComponent(u.login)}/password`, {});
                          setSecret({ login: u.login, password: r.password });
                        }, t('admin.reset', { name: u.login }))
                      }
                    >
                      {t('admin.resetPassword')}
                    </button>
                    {!u.disabled && u.login !== props.session.user && (
                      <button
                        type="button"
                        class="small danger"
                        aria-label={t('admin.disableX', { name: u.login })}
                        onClick={() => act(() => json('PATCH', `/api/v1/admin/users/${encodeURIComponent(u.login)}`, { disabled: true }), t('admin.disabledX', { name: u.login }))}
                      >
                        {t('admin.disable')}
                      </button>
                    )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <NewUser
          orgs={(orgs ?? []).map((o) => o.name)}
          defaultOrg={props.session.org ?? 'default'}
          operator={operator}
          created={(login, password) => {
            if (password) setSecret({ login, password });
            act(async () => {}, t('admin.userCreated', { name: login }));
          }}
        />
      </section>
      {quotaFor && (
        <QuotaDialog
          user={quotaFor}
          close={() => setQuotaFor(null)}
          save={(q) => {
            const login = quotaFor.login;
            setQuotaFor(null);
            act(() => json('PATCH', `/api/v1/admin/users/${encodeURIComponent(login)}`, { quota: q }), t('admin.quotaSet', { name: login }));
          }}
        />
      )}
    </section>
  );
}

function QuotaDialog(props: { user: User; close: () => void; save: (q: number) => void }) {
  const [v, setV] = useState(props.user.quota ? String(+(props.user.quota / GB).toFixed(2)) : '');
  return (
    <Modal title={t('admin.quotaX', { name: props.user.login })} onClose={props.close}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          props.save(parseQuota(v));
        }}
      >
        <label>
          {t('admin.quotaGb')}
          <input inputMode="decimal" value={v} autoFocus onInput={(e) => setV(e.currentTarget.value)} />
        </label>
        <div class="actions">
          <button type="button" onClick={props.close}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary">
            {t('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function NewOrg(props: { done: (name: string) => void }) {
  const [name, setName] = useState('');
  const [domains, setDomains] = useState('');
  const [quota, setQuota] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <form
      class="admin-form"
      aria-labelledby="new-org-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          await json('POST', '/api/v1/admin/orgs', {
            name: name.trim(),
            domains: domains.split(/[\s,]+/).filter(Boolean),
            quota: parseQuota(quota),
          });
          props.done(name.trim());
          setName('');
          setDomains('');
          setQuota('');
        } catch (err) {
          setError(err instanceof HttpError && err.status === 409 ? t('admin.exists') : errMsg(err));
        }
      }}
    >
      <h3 id="new-org-title">{t('admin.newOrg')}</h3>
      <div class="row3">
        <label>
          {t('admin.name')}
          <input value={name} required pattern="[a-z0-9][a-z0-9-]*" onInput={(e) => setName(e.currentTarget.value)} />
        </label>
        <label>
          {t('admin.domains')}
          <input value={domains} placeholder="museum.example" onInput={(e) => setDomains(e.currentTarget.value)} />
        </label>
        <label>
          {t('admin.quotaGb')}
          <input value={quota} inputMode="decimal" onInput={(e) => setQuota(e.currentTarget.value)} />
        </label>
      </div>
      <ErrorText error={error} />
      <button type="submit" class="primary">
        {t('admin.createOrg')}
      </button>
    </form>
  );
}

function NewUser(props: { orgs: string[]; defaultOrg: string; operator: boolean; created: (login: string, password?: string) => void }) {
  const [f, setF] = useState({ login: '', org: props.defaultOrg, role: 'member', email: '', display_name: '', quota: '', password: '' });
  const [error, setError] = useState<string | null>(null);
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  const orgs = props.orgs.length ? props.orgs : [props.defaultOrg];
  return (
    <form
      class="admin-form"
      aria-labelledby="new-user-title"
      onSubmit={async (e) => {
        e.preventDefault();
        setError(null);
        try {
          const body: Record<string, unknown> = { login: f.login.trim(), org: f.org, role: f.role };
          if (f.email.trim()) body.email = f.email.trim();
          if (f.display_name.trim()) body.display_name = f.display_name.trim();
          if (f.quota.trim()) body.quota = parseQuota(f.quota);
          if (f.password) body.password = f.password;
          const r = await json<{ login: string; password: string }>('POST', '/api/v1/admin/users', body);
          props.created(r.login ?? f.login.trim(), f.password ? undefined : r.password);
          setF({ ...f, login: '', email: '', display_name: '', quota: '', password: '' });
        } catch (err) {
          setError(err instanceof HttpError && err.status === 409 ? t('admin.exists') : errMsg(err));
        }
      }}
    >
      <h3 id="new-user-title">{t('admin.newUser')}</h3>
      <div class="row3">
        <label>
          {t('admin.login')}
          <input name="new-login" value={f.login} required autocomplete="off" onInput={(e) => set({ login: e.currentTarget.value })} />
        </label>
        <label>
          {t('admin.displayName')}
          <input value={f.display_name} onInput={(e) => set({ display_name: e.currentTarget.value })} />
        </label>
        <label>
          {t('admin.email')}
          <input type="email" value={f.email} onInput={(e) => set({ email: e.currentTarget.value })} />
        </label>
        <label>
          {t('admin.org')}
          <select value={f.org} onChange={(e) => set({ org: e.currentTarget.value })} disabled={!props.operator}>
            {orgs.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.role')}
          <select value={f.role} onChange={(e) => set({ role: e.currentTarget.value })}>
            <option value="member">{t('role.member')}</option>
            <option value="org-admin">{t('role.org-admin')}</option>
            {props.operator && <option value="operator">{t('role.operator')}</option>}
          </select>
        </label>
        <label>
          {t('admin.quotaGb')}
          <input value={f.quota} inputMode="decimal" onInput={(e) => set({ quota: e.currentTarget.value })} />
        </label>
        <label>
          {t('admin.initialPassword')}
          <input type="password" autocomplete="new-password" value={f.password} minLength={8} onInput={(e) => set({ password: e.currentTarget.value })} />
        </label>
      </div>
      <p class="muted">{t('admin.passwordHint')}</p>
      <ErrorText error={error} />
      <button type="submit" class="primary">
        {t('admin.createUser')}
      </button>
    </form>
  );
}
