/**
 * Markdown (prompts, raw answers) drawn as React elements from marked's tokens: never as HTML, so a
 * prompt cannot inject markup or scripts, and links are shown with their address but not followed.
 * Fenced code blocks are highlighted for their language.
 */
import { type ReactNode, useMemo } from 'react'
import { type Token, type Tokens, lexer } from 'marked'
import { CodeBlock } from '../diff/CodeText'

function inline(tokens: readonly Token[] | undefined): ReactNode[] {
  return (tokens ?? []).map((token, i) => inlineToken(token, i))
}

function inlineToken(token: Token, key: number): ReactNode {
  switch (token.type) {
    case 'strong':
      return <strong key={key}>{inline((token as Tokens.Strong).tokens)}</strong>
    case 'em':
      return <em key={key}>{inline((token as Tokens.Em).tokens)}</em>
    case 'del':
      return <del key={key}>{inline((token as Tokens.Del).tokens)}</del>
    case 'codespan':
      return <code key={key}>{(token as Tokens.Codespan).text}</code>
    case 'br':
      return <br key={key} />
    case 'link': {
      const link = token as Tokens.Link
      return (
        <span key={key} className="md-link" title={link.href}>
          {inline(link.tokens)}
        </span>
      )
    }
    case 'image':
      return (
        <span key={key} className="md-link" title={(token as Tokens.Image).href}>
          [image: {(token as Tokens.Image).text}]
        </span>
      )
    case 'text': {
      const text = token as Tokens.Text
      return text.tokens ? <span key={key}>{inline(text.tokens)}</span> : text.text
    }
    case 'escape':
    case 'html':
      return (token as Tokens.Escape | Tokens.HTML).text
    default:
      return token.raw
  }
}

function block(token: Token, key: number): ReactNode {
  switch (token.type) {
    case 'space':
      return null
    case 'heading': {
      const heading = token as Tokens.Heading
      return (
        <p key={key} className={`md-heading md-h${heading.depth}`}>
          {inline(heading.tokens)}
        </p>
      )
    }
    case 'paragraph':
      return <p key={key}>{inline((token as Tokens.Paragraph).tokens)}</p>
    case 'code': {
      const code = token as Tokens.Code
      return <CodeBlock key={key} code={code.text} language={code.lang?.split(/\s/)[0] ?? null} />
    }
    case 'blockquote':
      return <blockquote key={key}>{(token as Tokens.Blockquote).tokens.map(block)}</blockquote>
    case 'list': {
      const list = token as Tokens.List
      const items = list.items.map((item, i) => <li key={i}>{item.tokens.map(block)}</li>)
      return list.ordered ? (
        <ol key={key} start={list.start === '' ? undefined : list.start}>
          {items}
        </ol>
      ) : (
        <ul key={key}>{items}</ul>
      )
    }
    case 'table': {
      const table = token as Tokens.Table
      return (
        <table key={key} className="md-table">
          <thead>
            <tr>
              {table.header.map((cell, i) => (
                <th key={i}>{inline(cell.tokens)}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) => (
                  <td key={i}>{inline(cell.tokens)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )
    }
    case 'hr':
      return <hr key={key} />
    case 'html':
      return (
        <pre key={key} className="md-html">
          {(token as Tokens.HTML).text}
        </pre>
      )
    case 'text': {
      const text = token as Tokens.Text
      return <span key={key}>{text.tokens ? inline(text.tokens) : text.text}</span>
    }
    default:
      return <span key={key}>{inlineToken(token, key)}</span>
  }
}

/** Markdown text, drawn safely. */
export function Markdown({ text, testId }: { readonly text: string; readonly testId?: string }) {
  const tokens = useMemo(() => lexer(text), [text])
  return (
    <div className="markdown" data-testid={testId}>
      {tokens.map(block)}
    </div>
  )
}
