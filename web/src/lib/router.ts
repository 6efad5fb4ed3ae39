// A tiny history router: the app's paths are /files/…, /calendar, /contacts, /devices, /admin.
type Listener = () => void;
const listeners = new Set<Listener>();

export function currentPath(): string {
  return location.pathname;
}

export function navigate(path: string, replace = false): void {
  if (path === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  listeners.forEach((l) => l());
}

export function onRoute(l: Listener): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

addEventListener('popstate', () => listeners.forEach((l) => l()));

// Follow same-origin <a data-nav> clicks without reloading.
export function linkClick(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.currentTarget as HTMLAnchorElement) ?? null;
  if (!a || !a.href) return;
  const url = new URL(a.href);
  if (url.origin !== location.origin) return;
  e.preventDefault();
  navigate(url.pathname + url.search);
}
