// Uploads over WebDAV with XMLHttpRequest (progress per file), folders made with MKCOL first.
import { csrfToken, notifyUnauthorized, request } from './api';
import { encodePath } from './dav';

export interface UploadItem {
  file: File;
  rel: string; // path relative to the target folder, "a/b/c.txt"
}

export interface UploadState {
  id: number;
  name: string;
  loaded: number;
  total: number;
  status: 'queued' | 'uploading' | 'done' | 'failed';
  error?: string;
}

// Files (and folders, with webkitGetAsEntry) dropped on the page.
export async function itemsFromDrop(dt: DataTransfer): Promise<{ items: UploadItem[]; dirs: string[] }> {
  const items: UploadItem[] = [];
  const dirs: string[] = [];
  const entries: FileSystemEntry[] = [];
  if (dt.items && dt.items.length && typeof dt.items[0].webkitGetAsEntry === 'function') {
    for (let i = 0; i < dt.items.length; i++) {
      const e = dt.items[i].webkitGetAsEntry();
      if (e) entries.push(e);
    }
  }
  if (!entries.length) {
    // No entries (an older browser, or a synthetic drop): plain files.
    for (let i = 0; i < dt.files.length; i++) items.push({ file: dt.files[i], rel: dt.files[i].name });
    return { items, dirs };
  }
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((res, rej) => (entry as FileSystemFileEntry).file(res, rej));
      items.push({ file, rel: prefix + entry.name });
    } else if (entry.isDirectory) {
      const dir = prefix + entry.name;
      dirs.push(dir);
      const reader = (entry as FileSystemDirectoryEntry).createReader();
      for (;;) {
        const batch = await new Promise<FileSystemEntry[]>((res, rej) => reader.readEntries(res, rej));
        if (!batch.length) break;
        for (const child of batch) await walk(child, dir + '/');
      }
    }
  };
  for (const e of entries) await walk(e, '');
  return { items, dirs };
}

export function itemsFromInput(files: FileList): UploadItem[] {
  const out: UploadItem[] = [];
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    out.push({ file: f, rel: (f as File & { webkitRelativePath?: string }).webkitRelativePath || f.name });
  }
  return out;
}

export function parentDirs(items: UploadItem[], extra: string[] = []): string[] {
  const set = new Set<string>(extra);
  for (const it of items) {
    const parts = it.rel.split('/');
    for (let i = 1; i < parts.length; i++) set.add(parts.slice(0, i).join('/'));
  }
  return [...set].sort((a, b) => a.split('/').length - b.split('/').length || a.localeCompare(b));
}

export async function makeDirs(baseUrl: string, dirs: string[]): Promise<void> {
  for (const d of dirs) {
    // 405: it exists already.
    await request('MKCOL', baseUrl + encodePath(d) + '/', { ok: [405] });
  }
}

export function putFile(url: string, file: File, onProgress: (loaded: number) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
    const token = csrfToken();
    if (token) xhr.setRequestHeader('X-CSRF-Token', token);
    if (file.type) xhr.setRequestHeader('Content-Type', file.type);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size);
        resolve();
      } else {
        if (xhr.status === 401) notifyUnauthorized();
        let detail = xhr.statusText;
        try {
          detail = JSON.parse(xhr.responseText).detail ?? detail;
        } catch {
          /* not JSON */
        }
        reject(new Error(`${xhr.status} ${detail}`));
      }
    };
    xhr.onerror = () => reject(new Error('network'));
    xhr.send(file);
  });
}
