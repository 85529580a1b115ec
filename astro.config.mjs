// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import { unified } from '@astrojs/markdown-remark';
import { deployTarget } from './src/lib/site/deployTarget.ts';
import { remarkBaseLinks } from './src/lib/site/remarkBaseLinks.ts';
import { katexWoff2Only } from './src/lib/site/katexWoff2Only.ts';
import { mathRehypePlugins, mathRemarkPlugins } from './src/lib/site/mathPipeline.ts';
import { searchIndex } from './src/lib/site/searchIndex.ts';

// site and base: from SITE_URL / BASE_PATH, else from GITHUB_REPOSITORY (GitHub Pages), else local.
const { site, base } = deployTarget(process.env);

export default defineConfig({
  site,
  base,
  trailingSlash: 'always',
  // searchIndex: Pagefind indexes the built chapters into dist/pagefind/ (src/lib/site/searchIndex.ts).
  integrations: [mdx(), searchIndex()],
  markdown: {
    // The unified pipeline: math typeset by KaTeX at build time (see src/lib/site/mathPipeline.ts and the
    // README's architecture section), and root-relative links in bodies moved under the base.
    processor: unified({
      remarkPlugins: [...mathRemarkPlugins, [remarkBaseLinks, { base }]],
      rehypePlugins: [...mathRehypePlugins],
    }),
    syntaxHighlight: 'shiki',
    shikiConfig: { themes: { light: 'github-light', dark: 'github-dark' } },
  },
  vite: {
    plugins: [katexWoff2Only()],
    worker: { format: 'es' },
  },
  devToolbar: { enabled: false },
});
