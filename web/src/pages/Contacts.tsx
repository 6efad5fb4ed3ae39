import { useEffect, useMemo, useState } from 'preact/hooks';
import { HttpError, request, Session } from '../lib/api';
import { DavElement, decodeHref, hasResourceType, hrefPath, NS, propfind, propText, report, uuid } from '../lib/dav';
import { t } from '../lib/i18n';
import { Confirm, errMsg, ErrorText, Modal } from '../lib/ui';
import { Contact, parseVCard, splitCards, writeVCard } from '../lib/vcard';

interface Book {
  href: string;
  name: string;
  writable: boolean;
}
interface Card {
  href: string;
  etag: string;
  c: Contact;
}

const BOOK_PROPS = `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:displayname/><D:current-user-privilege-set/></D:prop></D:propfind>`;
const QUERY = `<?xml version="1.0" encoding="utf-8"?><C:addressbook-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav"><D:prop><D:getetag/><C:address-data/></D:prop><C:filter/></C:addressbook-query>`;

function writable(el: DavElement | undefined): boolean {
  if (!el) return true;
  const privs = el.getElementsByTagNameNS(NS.D, 'privilege');
  for (let i = 0; i < privs.length; i++) {
    const p = privs[i].firstElementChild;
    if (p && ['write', 'all', 'write-content', 'bind'].includes(p.localName)) return true;
  }
  return false;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export default function ContactsPage(props: { session: Session }) {
  const home = `/dav/addressbooks/${encodeURIComponent(props.session.user)}/`;
  const [books, setBooks] = useState<Book[]>([]);
  const [book, setBook] = useState<string>('');
  const [cards, setCards] = useState<Card[] | null>(null);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [editing, setEditing] = useState<Card | 'new' | null>(null);
  const [deleting, setDeleting] = useState<Card | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    propfind(home, '1', BOOK_PROPS)
      .then((rs) => {
        const list = rs
          .filter((r) => hasResourceType(r, NS.CARD, 'addressbook'))
          .map((r) => {
            const path = hrefPath(r.href);
            return {
              href: path.endsWith('/') ? path : path + '/',
              name: propText(r, NS.D, 'displayname') || decodeHref(path).replace(/\/$/, '').split('/').pop() || '?',
              writable: writable(r.props.get(`${NS.D}|current-user-privilege-set`)),
            };
          })
          .sort((a, b) => Number(b.href.endsWith('/contacts/')) - Number(a.href.endsWith('/contacts/')));
        setBooks(list);
        setBook(list[0]?.href ?? '');
      })
      .catch((e) => setError(errMsg(e)));
  }, []);

  const load = async () => {
    if (!book) return;
    try {
      const rs = await report(book, QUERY);
      const list: Card[] = [];
      for (const r of rs) {
        const data = propText(r, NS.CARD, 'address-data');
        if (!data) continue;
        list.push({ href: hrefPath(r.href), etag: propText(r, NS.D, 'getetag') ?? '', c: parseVCard(data) });
      }
      list.sort((a, b) => collator.compare(a.c.fn, b.c.fn));
      setCards(list);
    } catch (e) {
      setCards([]);
      setError(errMsg(e));
    }
  };
  useEffect(() => {
    setCards(null);
    setSelected(null);
    load();
  }, [book]);

  const current = books.find((b) => b.href === book);
  const filtered = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!cards) return [];
    if (!q) return cards;
    return cards.filter((c) => [c.c.fn, c.c.org, c.c.note, ...c.c.emails, ...c.c.phones].some((v) => v.toLowerCase().includes(q)));
  }, [cards, query]);
  const sel = cards?.find((c) => c.href === selected) ?? null;

  const importFile = async (file: File) => {
    setError(null);
    const text = await file.text();
    let ok = 0;
    let skipped = 0;
    for (let card of splitCards(text)) {
      let c = parseVCard(card);
      if (!c.uid) {
        c = { ...c, uid: uuid() };
        card = card.replace(/END:VCARD\s*$/i, `UID:${c.uid}\r\nEND:VCARD\r\n`);
      }
      const name = /^[A-Za-z0-9._@-]{1,100}$/.test(c.uid) ? c.uid : uuid();
      try {
        await request('PUT', `${book}${name}.vcf`, {
          body: card,
          headers: { 'Content-Type': 'text/vcard; charset=utf-8', 'If-None-Match': '*' },
        });
        ok++;
      } catch {
        skipped++;
      }
    }
    setStatus(t('contacts.imported', { n: ok, skipped }));
    load();
  };

  return (
    <section class="contacts-page" aria-labelledby="contacts-title">
      <div class="page-head">
        <h1 id="contacts-title">{t('nav.contacts')}</h1>
        <div class="toolbar">
          {books.length > 1 && (
            <label>
              {t('contacts.book')}{' '}
              <select value={book} onChange={(e) => setBook(e.currentTarget.value)}>
                {books.map((b) => (
                  <option key={b.href} value={b.href}>
                    {b.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          {current?.writable && (
            <button type="button" class="primary" onClick={() => setEditing('new')}>
              {t('contacts.new')}
            </button>
          )}
          {current?.writable && (
            <label class="button">
              {t('contacts.import')}
              <input
                type="file"
                accept=".vcf,text/vcard"
                class="sr-only"
                onChange={(e) => {
                  const f = e.currentTarget.files?.[0];
                  if (f) importFile(f);
                  e.currentTarget.value = '';
                }}
              />
            </label>
          )}
          {book && (
            <a class="button" href={`${book}?export`} download={`${current?.name ?? 'contacts'}.vcf`}>
              {t('contacts.export')}
            </a>
          )}
        </div>
      </div>
      <ErrorText error={error} />
      <p aria-live="polite" class="status">
        {status}
      </p>
      <div class="contacts-layout">
        <div class="contact-list">
          <label>
            <span class="sr-only">{t('contacts.search')}</span>
            <input type="search" placeholder={t('contacts.search')} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
          </label>
          {cards === null ? (
            <p>{t('loading')}</p>
          ) : filtered.length === 0 ? (
            <p class="muted">{t('contacts.none')}</p>
          ) : (
            <ul aria-label={t('nav.contacts')}>
              {filtered.map((c) => (
                <li key={c.href}>
                  <button type="button" class={c.href === selected ? 'contact-item active' : 'contact-item'} aria-current={c.href === selected ? 'true' : undefined} onClick={() => setSelected(c.href)}>
                    {c.c.photo ? <img src={c.c.photo} alt="" class="avatar" /> : <span class="avatar" aria-hidden="true">{(c.c.fn || '?').slice(0, 1).toUpperCase()}</span>}
                    <span>
                      <strong>{c.c.fn}</strong>
                      {c.c.org && <small>{c.c.org}</small>}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div class="contact-detail">
          {sel ? (
            <article aria-labelledby="contact-name">
              <div class="contact-head">
                {sel.c.photo && <img src={sel.c.photo} alt={t('contacts.photoOf', { name: sel.c.fn })} class="photo" />}
                <h2 id="contact-name">{sel.c.fn}</h2>
              </div>
              <dl>
                {sel.c.org && (
                  <>
                    <dt>{t('contacts.org')}</dt>
                    <dd>{sel.c.org}</dd>
                  </>
                )}
                {sel.c.emails.length > 0 && (
                  <>
                    <dt>{t('contacts.email')}</dt>
                    {sel.c.emails.map((e) => (
                      <dd key={e}>
                        <a href={`mailto:${e}`}>{e}</a>
                      </dd>
                    ))}
                  </>
                )}
                {sel.c.phones.length > 0 && (
                  <>
                    <dt>{t('contacts.phone')}</dt>
                    {sel.c.phones.map((p) => (
                      <dd key={p}>
                        <a href={`tel:${p}`}>{p}</a>
                      </dd>
                    ))}
                  </>
                )}
                {Object.values(sel.c.adr).some(Boolean) && (
                  <>
                    <dt>{t('contacts.address')}</dt>
                    <dd class="pre">{[sel.c.adr.street, [sel.c.adr.code, sel.c.adr.city].filter(Boolean).join(' '), sel.c.adr.region, sel.c.adr.country].filter(Boolean).join('\n')}</dd>
                  </>
                )}
                {sel.c.note && (
                  <>
                    <dt>{t('contacts.note')}</dt>
                    <dd class="pre">{sel.c.note}</dd>
                  </>
                )}
              </dl>
              {current?.writable && (
                <div class="actions">
                  <button type="button" onClick={() => setEditing(sel)}>
                    {t('contacts.edit')}
                  </button>
                  <button type="button" class="danger" onClick={() => setDeleting(sel)}>
                    {t('files.delete')}
                  </button>
                </div>
              )}
            </article>
          ) : (
            <p class="muted">{t('contacts.pick')}</p>
          )}
        </div>
      </div>
      {editing && (
        <ContactForm
          card={editing === 'new' ? null : editing}
          book={book}
          close={() => setEditing(null)}
          saved={(href) => {
            setEditing(null);
            setStatus(t('contacts.saved'));
            setSelected(href);
            load();
          }}
        />
      )}
      {deleting && (
        <Confirm
          title={t('contacts.deleteTitle')}
          text={t('contacts.deleteText', { name: deleting.c.fn })}
          action={t('files.delete')}
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            try {
              await request('DELETE', deleting.href, { headers: deleting.etag ? { 'If-Match': deleting.etag } : {} });
              setStatus(t('contacts.deleted'));
              setSelected(null);
            } catch (e) {
              setError(errMsg(e));
            }
            setDeleting(null);
            load();
          }}
        />
      )}
    </section>
  );
}

function ContactForm(props: { card: Card | null; book: string; close: () => void; saved: (href: string) => void }) {
  const init: Contact = props.card?.c ?? {
    uid: uuid(),
    fn: '',
    given: '',
    family: '',
    emails: [''],
    phones: [''],
    org: '',
    adr: { street: '', city: '', region: '', code: '', country: '' },
    note: '',
    photo: '',
  };
  const [c, setC] = useState<Contact>({ ...init, emails: init.emails.length ? init.emails : [''], phones: init.phones.length ? init.phones : [''] });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<Contact>) => setC({ ...c, ...patch });
  const setAdr = (patch: Partial<Contact['adr']>) => setC({ ...c, adr: { ...c.adr, ...patch } });
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!c.given.trim() && !c.family.trim() && !c.org.trim()) return setError(t('contacts.needName'));
    setBusy(true);
    const fn = [c.given.trim(), c.family.trim()].filter(Boolean).join(' ') || c.org.trim();
    const text = writeVCard({ ...c, fn });
    const href = props.card?.href ?? `${props.book}${c.uid}.vcf`;
    try {
      const headers: Record<string, string> = { 'Content-Type': 'text/vcard; charset=utf-8' };
      if (props.card?.etag) headers['If-Match'] = props.card.etag;
      if (!props.card) headers['If-None-Match'] = '*';
      await request('PUT', href, { body: text, headers });
      props.saved(href);
    } catch (err) {
      setError(err instanceof HttpError && err.status === 412 ? t('cal.conflict') : errMsg(err));
      setBusy(false);
    }
  };
  const listField = (key: 'emails' | 'phones', label: string, type: string) => (
    <fieldset>
      <legend>{label}</legend>
      {c[key].map((v, i) => (
        <div class="row2" key={i}>
          <label>
            <span class="sr-only">{`${label} ${i + 1}`}</span>
            <input
              type={type}
              value={v}
              aria-label={`${label} ${i + 1}`}
              onInput={(e) => {
                const next = [...c[key]];
                next[i] = e.currentTarget.value;
                set({ [key]: next } as Partial<Contact>);
              }}
            />
          </label>
          {c[key].length > 1 && (
            <button type="button" class="small" aria-label={t('contacts.removeX', { name: `${label} ${i + 1}` })} onClick={() => set({ [key]: c[key].filter((_, j) => j !== i) } as Partial<Contact>)}>
              −
            </button>
          )}
        </div>
      ))}
      <button type="button" class="small" onClick={() => set({ [key]: [...c[key], ''] } as Partial<Contact>)}>
        {t('contacts.addX', { name: label })}
      </button>
    </fieldset>
  );
  return (
    <Modal title={props.card ? t('contacts.editX', { name: c.fn }) : t('contacts.new')} onClose={props.close} wide>
      <form class="contact-form" onSubmit={submit}>
        <div class="row2">
          <label>
            {t('contacts.given')}
            <input value={c.given} autoFocus onInput={(e) => set({ given: e.currentTarget.value })} />
          </label>
          <label>
            {t('contacts.family')}
            <input value={c.family} onInput={(e) => set({ family: e.currentTarget.value })} />
          </label>
        </div>
        <label>
          {t('contacts.org')}
          <input value={c.org} onInput={(e) => set({ org: e.currentTarget.value })} />
        </label>
        {listField('emails', t('contacts.email'), 'email')}
        {listField('phones', t('contacts.phone'), 'tel')}
        <fieldset>
          <legend>{t('contacts.address')}</legend>
          <label>
            {t('contacts.street')}
            <input value={c.adr.street} onInput={(e) => setAdr({ street: e.currentTarget.value })} />
          </label>
          <div class="row2">
            <label>
              {t('contacts.postcode')}
              <input value={c.adr.code} onInput={(e) => setAdr({ code: e.currentTarget.value })} />
            </label>
            <label>
              {t('contacts.city')}
              <input value={c.adr.city} onInput={(e) => setAdr({ city: e.currentTarget.value })} />
            </label>
          </div>
          <div class="row2">
            <label>
              {t('contacts.region')}
              <input value={c.adr.region} onInput={(e) => setAdr({ region: e.currentTarget.value })} />
            </label>
            <label>
              {t('contacts.country')}
              <input value={c.adr.country} onInput={(e) => setAdr({ country: e.currentTarget.value })} />
            </label>
          </div>
        </fieldset>
        <label>
          {t('contacts.note')}
          <textarea rows={3} value={c.note} onInput={(e) => set({ note: e.currentTarget.value })} />
        </label>
        <div class="photo-field">
          {c.photo && <img src={c.photo} alt={t('contacts.photo')} class="avatar big" />}
          <label>
            {t('contacts.photo')}
            <input
              type="file"
              accept="image/jpeg,image/png"
              onChange={async (e) => {
                const f = e.currentTarget.files?.[0];
                if (!f) return;
                if (f.size > 512 * 1024) return setError(t('contacts.photoTooBig'));
                const url = await new Promise<string>((res) => {
                  const r = new FileReader();
                  r.onload = () => res(String(r.result));
                  r.readAsDataURL(f);
                });
                set({ photo: url });
              }}
            />
          </label>
          {c.photo && (
            <button type="button" class="small" onClick={() => set({ photo: '' })}>
              {t('contacts.removePhoto')}
            </button>
          )}
        </div>
        <ErrorText error={error} />
        <div class="actions">
          <button type="button" onClick={props.close}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('save')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
