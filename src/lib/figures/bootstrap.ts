/**
 * The only figure code in the page's initial JavaScript: watch each figure and load its island (and with it
 * Observable Plot) when it comes within 600 px of the viewport. The static SVG is already in the HTML.
 */
const loaders: Record<string, () => Promise<{ mount(root: HTMLElement): unknown }>> = {
  quad: () => import('./quadraticIsland.ts'),
  race: () => import('./raceIsland.ts'),
  hvp: () => import('./hvpIsland.ts'),
  hyper: () => import('./hyperIsland.ts'),
  implicit: () => import('./implicitIsland.ts'),
  maml: () => import('./mamlIsland.ts'),
};

export function boot(doc: Document = document): void {
  const roots = Array.from(doc.querySelectorAll<HTMLElement>('[data-figure]')).filter((el) => !el.dataset.booted);
  if (!roots.length) return;
  let io: IntersectionObserver | null = null;
  const start = (el: HTMLElement) => {
    const load = loaders[el.dataset.figure ?? ''];
    if (!load || (el.dataset.booted && el.dataset.booted !== 'waiting')) return;
    io?.unobserve(el);
    el.dataset.booted = 'loading';
    load()
      .then((m) => {
        m.mount(el);
        el.dataset.booted = 'ready';
      })
      .catch((err: unknown) => {
        el.dataset.booted = 'failed';
        const n = el.querySelector<HTMLElement>('.fig-notice');
        if (n) {
          n.hidden = false;
          n.textContent = 'This figure could not be made interactive; the picture below shows its default state.';
        }
        console.warn(err);
      });
  };
  // A keyboard user who reaches a figure's controls before it nears the viewport loads it at once.
  for (const el of roots) el.addEventListener('focusin', () => start(el), { once: true });
  if (!('IntersectionObserver' in window)) return roots.forEach(start);
  const observer = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (e.isIntersecting) start(e.target as HTMLElement);
      }
    },
    { rootMargin: '600px 0px' },
  );
  io = observer;
  roots.forEach((el) => {
    el.dataset.booted = 'waiting';
    observer.observe(el);
  });
}
