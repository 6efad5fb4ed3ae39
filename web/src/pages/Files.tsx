import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { formatBytes, request, Session } from '../lib/api';
import { decodeHref, encodePath, hasResourceType, NS, propfind, propText } from '../lib/dav';
import { getLang, t } from '../lib/i18n';
import { linkClick } from '../lib/router';
import { Icon } from '../lib/icons';
import { Confirm, errMsg, ErrorText, Modal } from '../lib/ui';
import { itemsFromDrop, itemsFromInput, makeDirs, parentDirs, putFile, UploadItem, UploadState } from '../lib/upload';

interface Entry {
  name: string;
  rel: string; // path relative to home, no leading or trailing slash
  dir: boolean;
  size: number;
  modified: number;
  type: string;
}

type SortKey = 'name' | 'size' | 'modified';
const ROW = 44;
const PROPS = `<?xml version="1.0" encoding="utf-8"?><D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/><D:getlastmodified/><D:getcontenttype/></D:prop></D:propfind>`;

export function relFromPath(path: string): string {
  const rest = path.replace(/^\/files\/?/, '');
  try {
    return decodeURIComponent(rest).replace(/^\/+|\/+$/g, '');
  } catch {
    return '';
  }
}

function appPath(rel: string): string {
  return '/files/' + (rel ? encodePath(rel) + '/' : '');
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

function kindOf(e: Entry): 'image' | 'pdf' | 'text' | 'audio' | 'video' | null {
  const ext = e.name.toLowerCase().split('.').pop() ?? '';
  const ct = e.type.toLowerCase();
  if (ct.startsWith('image/') || ['png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'avif'].includes(ext)) return 'image';
  if (ct === 'application/pdf' || ext === 'pdf') return 'pdf';
  if (ct.startsWith('audio/') || ['mp3', 'ogg', 'oga', 'wav', 'flac', 'm4a', 'opus'].includes(ext)) return 'audio';
  if (ct.startsWith('video/') || ['mp4', 'webm', 'ogv', 'mov', 'm4v'].includes(ext)) return 'video';
  if (
    ct.startsWith('text/') ||
    ['txt', 'md', 'csv', 'json', 'xml', 'log', 'ics', 'vcf', 'html', 'css', 'js', 'ts', 'yaml', 'yml', 'toml', 'ini'].includes(ext)
  )
    return 'text';
  return null;
}

type Dialog =
  | { kind: 'mkdir' }
  | { kind: 'rename'; entry: Entry }
  | { kind: 'move'; entry: Entry }
  | { kind: 'delete'; entry: Entry }
  | { kind: 'preview'; entry: Entry };

export function Files(props: { session: Session; path: string; refreshSession: () => void }) {
  const login = props.session.user;
  const base = `/dav/files/${encodeURIComponent(login)}/`;
  const rel = relFromPath(props.path);
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; asc: boolean }>({ key: 'name', asc: true });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [uploads, setUploads] = useState<UploadState[]>([]);
  const [dragging, setDragging] = useState(false);
  const [status, setStatus] = useState('');
  const uploadRef = useRef<UploadState[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const dirInput = useRef<HTMLInputElement>(null);

  const urlOf = (r: string, dir = false) => base + encodePath(r) + (dir && r ? '/' : '');

  const load = async () => {
    setError(null);
    try {
      const t0 = performance.now();
      const rs = await propfind(base + (rel ? encodePath(rel) + '/' : ''), '1', PROPS);
      const t1 = performance.now();
      const self = decodeHref(base + (rel ? encodePath(rel) + '/' : '')).replace(/\/+$/, '');
      const out: Entry[] = [];
      for (const r of rs) {
        const p = decodeHref(r.href).replace(/\/+$/, '');
        if (p === self) continue;
        const name = p.slice(p.lastIndexOf('/') + 1);
        const dir = hasResourceType(r, NS.D, 'collection');
        const lm = propText(r, NS.D, 'getlastmodified');
        out.push({
          name,
          rel: rel ? `${rel}/${name}` : name,
          dir,
          size: Number(propText(r, NS.D, 'getcontentlength') ?? 0),
          modified: lm ? Date.parse(lm) : 0,
          type: propText(r, NS.D, 'getcontenttype') ?? '',
        });
      }
      // Timings for the end-to-end test (PerformanceMeasure entries, no globals).
      performance.measure('regie:files:propfind', { start: t0, end: t1 });
      performance.measure('regie:files:parse', { start: t1, end: performance.now() });
      renderStart.current = performance.now();
      setEntries(out);
    } catch (e) {
      setEntries([]);
      setError(errMsg(e));
    }
  };

  useEffect(() => {
    setEntries(null);
    load();
  }, [rel]);

  const renderStart = useRef(0);
  useEffect(() => {
    if (entries && renderStart.current) {
      performance.measure('regie:files:sort+render', { start: renderStart.current, end: performance.now() });
      renderStart.current = 0;
    }
  }, [entries]);

  const sorted = useMemo(() => {
    if (!entries) return [];
    const dirFactor = (a: Entry, b: Entry) => Number(b.dir) - Number(a.dir);
    const cmp =
      sort.key === 'name'
        ? (a: Entry, b: Entry) => collator.compare(a.name, b.name)
        : sort.key === 'size'
          ? (a: Entry, b: Entry) => a.size - b.size || collator.compare(a.name, b.name)
          : (a: Entry, b: Entry) => a.modified - b.modified || collator.compare(a.name, b.name);
    const sign = sort.asc ? 1 : -1;
    return [...entries].sort((a, b) => dirFactor(a, b) || sign * cmp(a, b));
  }, [entries, sort]);

  // Uploads: folders first (MKCOL), then the files, two at a time.
  const startUpload = async (items: UploadItem[], extraDirs: string[] = []) => {
    if (!items.length && !extraDirs.length) return;
    const folderUrl = base + (rel ? encodePath(rel) + '/' : '');
    const states: UploadState[] = items.map((it, i) => ({
      id: Date.now() + i,
      name: it.rel,
      loaded: 0,
      total: it.file.size,
      status: 'queued',
    }));
    uploadRef.current = [...uploadRef.current.filter((u) => u.status !== 'done'), ...states];
    setUploads([...uploadRef.current]);
    let frame = 0;
    const repaint = () => {
      if (frame) return;
      frame = requestAnimationFrame(() => {
        frame = 0;
        setUploads(uploadRef.current.map((u) => ({ ...u })));
      });
    };
    try {
      await makeDirs(folderUrl, parentDirs(items, extraDirs));
    } catch (e) {
      setError(errMsg(e));
    }
    let next = 0;
    const worker = async () => {
      while (next < items.length) {
        const i = next++;
        const st = states[i];
        st.status = 'uploading';
        repaint();
        try {
          await putFile(folderUrl + encodePath(items[i].rel), items[i].file, (loaded) => {
            st.loaded = loaded;
            repaint();
          });
          st.status = 'done';
          st.loaded = st.total;
        } catch (e) {
          st.status = 'failed';
          st.error = errMsg(e);
        }
        repaint();
      }
    };
    await Promise.all([worker(), worker()]);
    const failed = states.filter((s) => s.status === 'failed').length;
    setStatus(failed ? t('files.uploadFailedN', { n: failed }) : t('files.uploadDone', { n: states.length }));
    setUploads(uploadRef.current.map((u) => ({ ...u })));
    await load();
    props.refreshSession();
  };

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (!e.dataTransfer) return;
    const { items, dirs } = await itemsFromDrop(e.dataTransfer);
    startUpload(items, dirs);
  };

  const crumbs = rel ? rel.split('/') : [];
  const q = props.session;
  const sortButton = (key: SortKey, label: string) => {
    const active = sort.key === key;
    return (
      <button
        type="button"
        class={active ? 'sort active' : 'sort'}
        aria-pressed={active}
        onClick={() => setSort({ key, asc: active ? !sort.asc : true })}
      >
        {label} {active ? (sort.asc ? '↑' : '↓') : ''}
        <span class="sr-only">{active ? (sort.asc ? t('files.ascending') : t('files.descending')) : ''}</span>
      </button>
    );
  };

  const totalBytes = uploads.reduce((s, u) => s + u.total, 0);
  const loadedBytes = uploads.reduce((s, u) => s + u.loaded, 0);
  const active = uploads.some((u) => u.status === 'queued' || u.status === 'uploading');

  return (
    <section
      class={dragging ? 'files dragging' : 'files'}
      aria-labelledby="files-title"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={onDrop}
    >
      <div class="page-head">
        <h1 id="files-title">{t('nav.files')}</h1>
        <nav aria-label={t('files.breadcrumb')} class="crumbs">
          <ol>
            <li>
              <a href="/files/" onClick={linkClick} aria-current={rel === '' ? 'page' : undefined}>
                {t('files.home')}
              </a>
            </li>
            {crumbs.map((c, i) => {
              const r = crumbs.slice(0, i + 1).join('/');
              return (
                <li key={r}>
                  <a href={appPath(r)} onClick={linkClick} aria-current={i === crumbs.length - 1 ? 'page' : undefined}>
                    {c}
                  </a>
                </li>
              );
            })}
          </ol>
        </nav>
      </div>
      <div class="toolbar" role="toolbar" aria-label={t('files.actions')}>
        <button type="button" class="primary" onClick={() => fileInput.current?.click()}>
          {t('files.uploadFiles')}
        </button>
        <button type="button" onClick={() => dirInput.current?.click()}>
          {t('files.uploadFolder')}
        </button>
        <button type="button" onClick={() => setDialog({ kind: 'mkdir' })}>
          {t('files.newFolder')}
        </button>
        <a class="button" href={base + (rel ? encodePath(rel) + '/' : '') + '?download=zip'} download={(crumbs[crumbs.length - 1] || login) + '.zip'}>
          {t('files.downloadZip')}
        </a>
        <input
          ref={fileInput}
          id="upload-files"
          type="file"
          multiple
          hidden
          aria-label={t('files.uploadFiles')}
          onChange={(e) => {
            const input = e.currentTarget;
            if (input.files) startUpload(itemsFromInput(input.files));
            input.value = '';
          }}
        />
        <input
          ref={dirInput}
          id="upload-folder"
          type="file"
          multiple
          hidden
          aria-label={t('files.uploadFolder')}
          {...({ webkitdirectory: true } as object)}
          onChange={(e) => {
            const input = e.currentTarget;
            if (input.files) startUpload(itemsFromInput(input.files));
            input.value = '';
          }}
        />
      </div>
      <p class="hint muted">{t('files.dropHint')}</p>
      <ErrorText error={error} />
      {uploads.length > 0 && (
        <section class="uploads" aria-label={t('files.uploads')}>
          <div class="uploads-head">
            <label>
              {t('files.totalProgress')}
              <progress max={totalBytes || 1} value={totalBytes ? loadedBytes : active ? 0 : 1} aria-label={t('files.totalProgress')} />
            </label>
            <span aria-live="polite">
              {active
                ? t('files.uploadingN', { done: uploads.filter((u) => u.status === 'done').length, n: uploads.length })
                : status}
            </span>
            {!active && (
              <button type="button" onClick={() => ((uploadRef.current = []), setUploads([]))}>
                {t('close')}
              </button>
            )}
          </div>
          <ul>
            {uploads.map((u) => (
              <li key={u.id} class={u.status}>
                <span class="uname">{u.name}</span>
                <progress max={u.total || 1} value={u.total ? u.loaded : u.status === 'done' ? 1 : 0} aria-label={t('files.progressOf', { name: u.name })} />
                <span class="ustatus">{u.status === 'failed' ? `${t('files.failed')}: ${u.error}` : t(`files.st.${u.status}`)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div class="list-head">
        <span class="sr-only" id="sort-label">
          {t('files.sortBy')}
        </span>
        <div class="sorts" role="group" aria-labelledby="sort-label">
          {sortButton('name', t('files.name'))}
          {sortButton('size', t('files.size'))}
          {sortButton('modified', t('files.modified'))}
        </div>
        <span class="count" aria-live="polite">
          {entries === null ? t('loading') : t('files.count', { n: entries.length.toLocaleString(getLang()) })}
        </span>
      </div>
      {entries !== null && entries.length === 0 && !error && <p class="empty">{t('files.empty')}</p>}
      {entries !== null && entries.length > 0 && (
        <VirtualList entries={sorted} urlOf={urlOf} onOpen={(e) => setDialog({ kind: 'preview', entry: e })} onAction={(kind, entry) => setDialog({ kind, entry } as Dialog)} />
      )}
      <footer class="quota">
        {q.quota ? (
          <label>
            {t('files.quota', { used: formatBytes(q.used ?? 0, getLang()), quota: formatBytes(q.quota, getLang()) })}
            <progress max={q.quota} value={Math.min(q.used ?? 0, q.quota)} />
          </label>
        ) : (
          <span>{t('files.quotaUnlimited', { used: formatBytes(q.used ?? 0, getLang()) })}</span>
        )}
      </footer>
      {dialog && <FileDialog dialog={dialog} base={base} rel={rel} urlOf={urlOf} entries={entries ?? []} close={() => setDialog(null)} done={() => (setDialog(null), load(), props.refreshSession())} />}
    </section>
  );
}

function VirtualList(props: {
  entries: Entry[];
  urlOf: (rel: string, dir?: boolean) => string;
  onOpen: (e: Entry) => void;
  onAction: (kind: 'rename' | 'move' | 'delete', e: Entry) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);
  useLayoutEffect(() => {
    const el = ref.current!;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight || 600));
    ro.observe(el);
    setHeight(el.clientHeight || 600);
    return () => ro.disconnect();
  }, []);
  const wantFocus = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (wantFocus.current === null) return;
    const el = ref.current?.querySelector<HTMLElement>(`[data-index="${wantFocus.current}"] .name`);
    if (el) {
      el.focus();
      wantFocus.current = null;
    }
  });
  const n = props.entries.length;
  const first = Math.max(0, Math.floor(scrollTop / ROW) - 8);
  const last = Math.min(n, Math.ceil((scrollTop + height) / ROW) + 8);
  const lang = getLang();
  const fmt = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' });
  const onKey = (e: KeyboardEvent) => {
    const row = (e.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!row) return;
    const i = Number(row.dataset.index);
    let to: number | null = null;
    if (e.key === 'ArrowDown') to = Math.min(n - 1, i + 1);
    else if (e.key === 'ArrowUp') to = Math.max(0, i - 1);
    else if (e.key === 'Home' && e.ctrlKey) to = 0;
    else if (e.key === 'End' && e.ctrlKey) to = n - 1;
    else if (e.key === 'PageDown') to = Math.min(n - 1, i + Math.floor(height / ROW));
    else if (e.key === 'PageUp') to = Math.max(0, i - Math.floor(height / ROW));
    if (to === null) return;
    e.preventDefault();
    const el = ref.current!;
    if (to * ROW < el.scrollTop) el.scrollTop = to * ROW;
    else if ((to + 1) * ROW > el.scrollTop + el.clientHeight) el.scrollTop = (to + 1) * ROW - el.clientHeight;
    setScrollTop(el.scrollTop);
    const target = el.querySelector<HTMLElement>(`[data-index="${to}"] .name`);
    if (target) target.focus();
    else wantFocus.current = to;
  };
  const rows = [];
  for (let i = first; i < last; i++) {
    const e = props.entries[i];
    rows.push(
      <li key={e.rel} data-index={i} class="row" style={{ top: i * ROW }} aria-setsize={n} aria-posinset={i + 1}>
        <span class={e.dir ? 'ficon dir' : 'ficon'} aria-hidden="true">
          <Icon name={e.dir ? 'folder' : 'file'} filled={e.dir} />
        </span>
        {e.dir ? (
          <a class="name" href={appPath(e.rel)} onClick={linkClick}>
            {e.name}
          </a>
        ) : (
          <button type="button" class="name link" onClick={() => props.onOpen(e)}>
            {e.name}
          </button>
        )}
        <span class="size">{e.dir ? '' : formatBytes(e.size, lang)}</span>
        <span class="mod">{e.modified ? fmt.format(e.modified) : ''}</span>
        <span class="row-actions">
          <a
            class="icon button"
            href={e.dir ? props.urlOf(e.rel, true) + '?download=zip' : props.urlOf(e.rel)}
            download={e.dir ? e.name + '.zip' : e.name}
            aria-label={t('files.downloadX', { name: e.name })}
            title={t('files.download')}
          >
            <Icon name="download" />
          </a>
          <button type="button" class="icon" aria-label={t('files.renameX', { name: e.name })} title={t('files.rename')} onClick={() => props.onAction('rename', e)}>
            <Icon name="edit" />
          </button>
          <button type="button" class="icon" aria-label={t('files.moveX', { name: e.name })} title={t('files.move')} onClick={() => props.onAction('move', e)}>
            <Icon name="move" />
          </button>
          <button type="button" class="icon danger" aria-label={t('files.deleteX', { name: e.name })} title={t('files.delete')} onClick={() => props.onAction('delete', e)}>
            <Icon name="trash" />
          </button>
        </span>
      </li>,
    );
  }
  return (
    <div class="vlist" ref={ref} onScroll={(e) => setScrollTop((e.currentTarget as HTMLElement).scrollTop)} onKeyDown={onKey}>
      <ul aria-label={t('files.listLabel')} style={{ height: n * ROW }}>
        {rows}
      </ul>
    </div>
  );
}

function FileDialog(props: {
  dialog: Dialog;
  base: string;
  rel: string;
  entries: Entry[];
  urlOf: (rel: string, dir?: boolean) => string;
  close: () => void;
  done: () => void;
}) {
  const d = props.dialog;
  const [error, setError] = useState<string | null>(null);
  const [value, setValue] = useState(() =>
    d.kind === 'rename' ? d.entry.name : d.kind === 'move' ? '/' + props.rel : '',
  );
  const [busy, setBusy] = useState(false);
  const run = async (fn: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await fn();
      props.done();
    } catch (e) {
      setError(errMsg(e));
      setBusy(false);
    }
  };
  const move = async (entry: Entry, toRel: string) => {
    const dest = location.origin + props.urlOf(toRel, entry.dir);
    const res = await request('MOVE', props.urlOf(entry.rel, entry.dir), {
      headers: { Destination: dest, Overwrite: 'F' },
      ok: [412],
    });
    if (res.status === 412) throw new Error(t('files.exists'));
  };
  const validName = (n: string) => n && !n.includes('/') && n !== '.' && n !== '..';

  if (d.kind === 'delete')
    return (
      <Confirm
        title={t('files.deleteTitle')}
        text={t(d.entry.dir ? 'files.deleteFolderText' : 'files.deleteText', { name: d.entry.name })}
        action={t('files.delete')}
        onClose={props.close}
        onConfirm={() => run(async () => void (await request('DELETE', props.urlOf(d.entry.rel, d.entry.dir))))}
      />
    );
  if (d.kind === 'preview') return <Preview entry={d.entry} url={props.urlOf(d.entry.rel)} close={props.close} />;
  const title = d.kind === 'mkdir' ? t('files.newFolder') : d.kind === 'rename' ? t('files.renameX', { name: d.entry.name }) : t('files.moveX', { name: d.entry.name });
  const folders = props.entries.filter((e) => e.dir).map((e) => '/' + e.rel);
  const parent = props.rel.includes('/') ? '/' + props.rel.slice(0, props.rel.lastIndexOf('/')) : '/';
  const submit = (e: Event) => {
    e.preventDefault();
    if (d.kind === 'mkdir') {
      if (!validName(value.trim())) return setError(t('files.badName'));
      run(async () => {
        const r = props.rel ? `${props.rel}/${value.trim()}` : value.trim();
        const res = await request('MKCOL', props.urlOf(r, true), { ok: [405] });
        if (res.status === 405) throw new Error(t('files.exists'));
      });
    } else if (d.kind === 'rename') {
      if (!validName(value.trim())) return setError(t('files.badName'));
      const r = props.rel ? `${props.rel}/${value.trim()}` : value.trim();
      run(() => move(d.entry, r));
    } else if (d.kind === 'move') {
      const folder = value.trim().replace(/^\/+|\/+$/g, '');
      run(() => move(d.entry, folder ? `${folder}/${d.entry.name}` : d.entry.name));
    }
  };
  return (
    <Modal title={title} onClose={props.close}>
      <form onSubmit={submit}>
        <label>
          {d.kind === 'move' ? t('files.destination') : t('files.name')}
          <input value={value} autoFocus required list={d.kind === 'move' ? 'folder-list' : undefined} onInput={(e) => setValue(e.currentTarget.value)} />
        </label>
        {d.kind === 'move' && (
          <datalist id="folder-list">
            {['/', parent, ...folders].filter((f, i, a) => a.indexOf(f) === i).map((f) => (
              <option key={f} value={f} />
            ))}
          </datalist>
        )}
        <ErrorText error={error} />
        <div class="actions">
          <button type="button" onClick={props.close}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {d.kind === 'mkdir' ? t('files.create') : d.kind === 'rename' ? t('files.rename') : t('files.move')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function Preview(props: { entry: Entry; url: string; close: () => void }) {
  const kind = kindOf(props.entry);
  const [text, setText] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (kind !== 'text') return;
    request('GET', props.url, { headers: { Range: 'bytes=0-524287' }, ok: [206] })
      .then((r) => r.text())
      .then(setText)
      .catch((e) => setError(errMsg(e)));
  }, [props.url]);
  let body;
  if (kind === 'image') body = <img class="preview-img" src={props.url} alt={props.entry.name} />;
  else if (kind === 'pdf') body = <iframe class="preview-frame" src={props.url} title={props.entry.name} />;
  else if (kind === 'audio') body = <audio controls src={props.url} aria-label={props.entry.name} />;
  else if (kind === 'video') body = <video class="preview-video" controls src={props.url} aria-label={props.entry.name} />;
  else if (kind === 'text')
    body = text === null ? <p>{t('loading')}</p> : <pre class="preview-text" tabIndex={0} aria-label={props.entry.name}>{text}</pre>;
  else body = <p>{t('files.noPreview')}</p>;
  return (
    <Modal title={props.entry.name} onClose={props.close} wide>
      <ErrorText error={error} />
      <div class="preview" data-kind={kind ?? 'none'}>
        {body}
      </div>
      <div class="actions">
        <a class="button" href={props.url} download={props.entry.name}>
          {t('files.download')}
        </a>
        <button type="button" onClick={props.close}>
          {t('close')}
        </button>
      </div>
    </Modal>
  );
}

