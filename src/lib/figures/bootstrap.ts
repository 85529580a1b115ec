/**
 * The only figure code in the page's initial JavaScript: watch each figure and load its island (and with it
 * Observable Plot) when it comes within 600 px of the viewport. The static SVG is already in the HTML.
 */
const loaders: Record<string, () => Promise<{ mount(root: HTMLElement): unknown }>> = {
  quad: () => import('./quadraticIsland.ts'),
  race: () => import('./raceIsland.ts'),
  hvp: () => import('./hvpIsland.ts'),
};

export function boot(doc: Document = document): void {
  const roots = Array.from(doc.querySelectorAll<HTMLElement>('[data-figure]')).filter((el) => !el.dataset.booted);
  if (!roots.length) return;
  const start = (el: HTMLElement) => {
    const load = loaders[el.dataset.figure ?? ''];
    if (!load) return;
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
  if (!('IntersectionObserver' in window)) return roots.forEach(start);
  const io = new IntersectionObserver(
    (entries) => {
      for (const e of entries) {
        if (!e.isIntersecting) continue;
        io.unobserve(e.target);
        start(e.target as HTMLElement);
      }
    },
    { rootMargin: '600px 0px' },
  );
  roots.forEach((el) => {
    el.dataset.booted = 'waiting';
    io.observe(el);
  });
}
