// Renders the parsed Markdown of chat answers with React (so all text is escaped), and code blocks highlighted by Monaco's colorize.
import { Fragment, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { monaco as MonacoApi } from '../editor/monaco';
import { loadMonaco } from '../editor/monaco-loader';
import { parseMarkdown, pathMentionedIn, type Block, type Inline } from '../markdown';

const ALIASES: Record<string, string> = { ts: 'typescript', tsx: 'typescript', js: 'javascript', jsx: 'javascript', py: 'python', sh: 'shell', bash: 'shell', zsh: 'shell', rs: 'rust', yml: 'yaml', md: 'markdown', 'c++': 'cpp', cs: 'csharp', kt: 'kotlin', rb: 'ruby' };

/** The Monaco language for a fence's language word (an id, an alias, or an extension), or plaintext. */
export function languageForFence(monaco: typeof MonacoApi, lang: string, path: string | null = null): string {
  const l = ALIASES[lang] ?? lang;
  const langs = monaco.languages.getLanguages();
  if (l) {
    const hit = langs.find((x) => x.id === l || x.aliases?.some((a) => a.toLowerCase() === l) || x.extensions?.includes(`.${l}`));
    if (hit) return hit.id;
  }
  if (path) {
    const ext = path.slice(path.lastIndexOf('.')).toLowerCase();
    const hit = langs.find((x) => x.extensions?.includes(ext));
    if (hit) return hit.id;
  }
  return 'plaintext';
}

/**
 * colorize() answers with HTML. It escapes the code, but instead of trusting that, the HTML is rebuilt as React
 * elements keeping only spans, line breaks and Monaco's token classes: nothing else can reach the DOM.
 */
function toReact(node: Node, key: number): ReactNode {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent;
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const el = node as Element;
  const tag = el.tagName.toLowerCase();
  if (tag === 'br') return <br key={key} />;
  const children = [...el.childNodes].map((c, i) => toReact(c, i));
  const cls = el.getAttribute('class');
  const className = cls && /^[\w\s-]+$/.test(cls) ? cls : undefined;
  if (tag === 'span' || tag === 'div') return <span key={key} className={className}>{children}</span>;
  return <Fragment key={key}>{children}</Fragment>;
}

function useColorized(text: string, lang: string, path: string | null): ReactNode[] | null {
  const [out, setOut] = useState<ReactNode[] | null>(null);
  useEffect(() => {
    let alive = true;
    // Streaming re-renders each delta; colour a settled text only (a short delay), plain text meanwhile.
    const t = setTimeout(() => {
      // Monaco loads lazily; until then (and if it fails) the code shows as plain text.
      loadMonaco()
        .then(({ monaco }) => monaco.editor.colorize(text, languageForFence(monaco, lang, path), { tabSize: 2 }))
        .then((html) => {
          if (!alive) return;
          const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
          setOut([...doc.body.childNodes].map((c, i) => toReact(c, i)));
        })
        .catch(() => alive && setOut(null));
    }, 120);
    return () => {
      alive = false;
      clearTimeout(t);
    };
  }, [text, lang, path]);
  return out;
}

export interface CodeAction {
  label: string;
  title: string;
  run(code: { text: string; lang: string; path: string | null }): void;
}

export function CodeBlock({ text, lang, path, closed, actions }: { text: string; lang: string; path: string | null; closed: boolean; actions?: CodeAction[] }) {
  const colored = useColorized(text, lang, path);
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(text).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      },
      () => {},
    );
  };
  return (
    <figure className="code-block" aria-label={`Code${path ? ` for ${path}` : ''}${lang ? ` (${lang})` : ''}`}>
      <figcaption className="code-block-head">
        <span className="muted">{path ?? (lang || 'text')}</span>
        <span className="spacer" />
        {closed &&
          actions?.map((a) => (
            <button key={a.label} type="button" className="link small" title={a.title} onClick={() => a.run({ text, lang, path })}>
              {a.label}
            </button>
          ))}
        <button type="button" className="link small" onClick={copy} aria-label="Copy the code">
          {copied ? 'Copied' : 'Copy'}
        </button>
      </figcaption>
      <pre className="code-block-body">
        <code>{colored ?? text}</code>
      </pre>
    </figure>
  );
}

function Inlines({ items }: { items: Inline[] }) {
  return (
    <>
      {items.map((x, i) => {
        switch (x.t) {
          case 'text':
            return <Fragment key={i}>{x.v}</Fragment>;
          case 'code':
            return <code key={i}>{x.v}</code>;
          case 'strong':
            return <strong key={i}><Inlines items={x.c} /></strong>;
          case 'em':
            return <em key={i}><Inlines items={x.c} /></em>;
          case 'del':
            return <del key={i}><Inlines items={x.c} /></del>;
          case 'br':
            return <br key={i} />;
          case 'link':
            return (
              <a key={i} href={x.href} target="_blank" rel="noopener noreferrer">
                <Inlines items={x.c} />
              </a>
            );
        }
      })}
    </>
  );
}

function Blocks({ blocks, actions }: { blocks: Block[]; actions?: CodeAction[] }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.t) {
          case 'p':
            return <p key={i}><Inlines items={b.c} /></p>;
          case 'h': {
            // Answers sit inside a panel: their headings start one level below the panel's own.
            const H = `h${Math.min(b.level + 2, 6)}` as 'h3';
            return <H key={i}><Inlines items={b.c} /></H>;
          }
          case 'hr':
            return <hr key={i} />;
          case 'quote':
            return <blockquote key={i}><Blocks blocks={b.c} actions={actions} /></blockquote>;
          case 'list': {
            const items = b.items.map((it, k) => (
              <li key={k}>
                <Blocks blocks={it} actions={actions} />
              </li>
            ));
            return b.ordered ? <ol key={i} start={b.start}>{items}</ol> : <ul key={i}>{items}</ul>;
          }
          case 'table':
            return (
              <div key={i} className="md-table-wrap">
                <table>
                  <thead>
                    <tr>{b.head.map((c, k) => <th key={k} style={{ textAlign: b.align[k] ?? undefined }}><Inlines items={c} /></th>)}</tr>
                  </thead>
                  <tbody>
                    {b.rows.map((r, k) => (
                      <tr key={k}>{r.map((c, j) => <td key={j} style={{ textAlign: b.align[j] ?? undefined }}><Inlines items={c} /></td>)}</tr>
                    ))}
                  </tbody>
                </table>
              </div>
            );
          case 'code':
            return <CodeBlock key={i} text={b.text} lang={b.lang} path={b.path ?? pathMentionedIn(blocks[i - 1])} closed={b.closed} actions={actions} />;
        }
      })}
    </>
  );
}

export function Markdown({ text, actions }: { text: string; actions?: CodeAction[] }) {
  const blocks = useMemo(() => parseMarkdown(text), [text]);
  return (
    <div className="markdown">
      <Blocks blocks={blocks} actions={actions} />
    </div>
  );
}
