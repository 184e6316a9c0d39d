// What every page does when it opens: names itself in the window's title, and moves the
// focus to its heading, so that a screen reader announces the new page and Tab starts there.
import { useEffect } from 'preact/hooks';

export function usePage(title: string | null): void {
  useEffect(() => {
    if (title === null) return;
    document.title = `${title} · Support`;
    const heading = document.querySelector<HTMLElement>('main h1');
    if (heading && !heading.contains(document.activeElement)) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: false });
    }
  }, [title]);
}
