// Small inline SVG icons (no icon font, no emoji font needed).
const paths: Record<string, string> = {
  folder: 'M2 5a2 2 0 0 1 2-2h5l2 2h9a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H4a2 2 0 0 1-2-2z',
  file: 'M6 2h8l6 6v12a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V4a2 2 0 0 1 2-2zm7 1.5V9h5.5',
  download: 'M12 3v12m-5-5 5 5 5-5M4 19h16',
  edit: 'M4 20h4L19 9l-4-4L4 16zM14 6l4 4',
  move: 'M3 12h14m-5-5 5 5-5 5M21 4v16',
  trash: 'M4 7h16M9 7V4h6v3m-8 0 1 13h8l1-13',
};

export function Icon(props: { name: keyof typeof paths | string; filled?: boolean }) {
  return (
    <svg class="svg-icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
      <path
        d={paths[props.name]}
        fill={props.filled ? 'currentColor' : 'none'}
        stroke={props.filled ? 'none' : 'currentColor'}
        stroke-width="2"
        stroke-linecap="round"
        stroke-linejoin="round"
      />
    </svg>
  );
}
