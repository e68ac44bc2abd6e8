import { type FunctionComponent, createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { beforeAll, describe, expect, it } from 'vitest'
import type { QaSummary } from '../../renderer/data/qa'

interface QaPanelProps {
  readonly summary: QaSummary | null
  readonly counts: Readonly<Record<string, number>> | null
  readonly active: readonly string[]
  readonly onToggle: (rule: string) => void
}

// Loaded by path at run time: tsconfig.test.json sets no `jsx`, so TypeScript cannot follow an
// import of a .tsx file across the project reference (TS6305); Vitest can.
const PANEL_MODULE = '../../renderer/features/qa/QaPanel.tsx'
let QaPanel: FunctionComponent<QaPanelProps>
beforeAll(async () => {
  ;({ QaPanel } = (await import(/* @vite-ignore */ PANEL_MODULE)) as {
    QaPanel: FunctionComponent<QaPanelProps>
  })
})

const SUMMARY: QaSummary = {
  rules: [
    {
      id: 'reward-ratio',
      label: 'Reward ≠ student / teacher',
      description: 'The reward is not student_score / teacher_score.',
      category: 'inputs',
      severity: 'warning',
      count: 3,
    },
    {
      id: 'truncated-code',
      label: 'Truncated code that scored',
      description: 'The code was cut off.',
      category: 'code',
      severity: 'warning',
      count: 462,
    },
    {
      id: 'duplicate-prompt',
      label: 'Repeated prompt',
      description: 'The same prompt is in more than one row.',
      category: 'groups',
      severity: 'info',
      count: 326,
    },
  ],
  lengthCorrelation: [
    { language: 'all', n: 600, r: -0.48 },
    { language: 'rust', n: 180, r: -0.69 },
    { language: 'go', n: 2, r: null },
  ],
  lengthMeasure: { reward: 'reward', length: 'student answer length' },
  ms: 12,
}

function render(props: Partial<QaPanelProps> = {}): string {
  return renderToStaticMarkup(
    createElement(QaPanel, {
      summary: SUMMARY,
      counts: null,
      active: [],
      onToggle: () => undefined,
      ...props,
    }),
  )
}

/** The opening tag of the element with an attribute value. */
function tagWith(html: string, attribute: string): string {
  const at = html.indexOf(attribute)
  return html.slice(html.lastIndexOf('<', at), html.indexOf('>', at) + 1)
}

describe('QaPanel', () => {
  it('lists every rule as a toggle with its id, description and count, under its group', () => {
    const html = render()
    expect(html).toContain('data-testid="qa-panel"')
    const ratio = tagWith(html, 'data-rule="reward-ratio"')
    expect(ratio).toMatch(/^<button/)
    expect(ratio).toContain('aria-pressed="false"')
    expect(ratio).toContain('title="The reward is not student_score / teacher_score."')
    expect(ratio).toContain('data-count="3"')
    expect(html).toContain('Reward vs its inputs')
    expect(html).toContain('Suspicious code that scored')
    expect(html).not.toContain('Impossible values')
    expect(html).toContain('>462<')
  })

  it('counts info rules after the warnings, under a heading of their own', () => {
    const html = render()
    const info = html.indexOf('data-testid="qa-info"')
    expect(info).toBeGreaterThan(html.indexOf('data-rule="truncated-code"'))
    expect(html.indexOf('data-rule="duplicate-prompt"')).toBeGreaterThan(info)
    expect(tagWith(html, 'data-rule="duplicate-prompt"')).toContain('data-severity="info"')
    expect(tagWith(html, 'data-rule="truncated-code"')).toContain('data-severity="warning"')
    expect(html).toContain('How the data is built')
    expect(html).not.toContain('Degenerate groups and duplicates')
  })

  it('marks the active rules pressed', () => {
    const html = render({ active: ['truncated-code'] })
    expect(tagWith(html, 'data-rule="truncated-code"')).toContain('aria-pressed="true"')
    expect(tagWith(html, 'data-rule="reward-ratio"')).toContain('aria-pressed="false"')
  })

  it('shows the count under the filter, and the total when they differ', () => {
    const html = render({ counts: { 'truncated-code': 40 } })
    expect(tagWith(html, 'data-rule="truncated-code"')).toContain('data-count="40"')
    expect(html).toContain('40<span class="muted"> of 462</span>')
    expect(tagWith(html, 'data-rule="reward-ratio"')).toContain('data-count="0"')
  })

  it('shows the length correlation per language as figures', () => {
    const html = render()
    expect(html).toContain('data-testid="qa-length-correlation"')
    expect(tagWith(html, 'data-language="rust"')).toContain('data-r="-0.69"')
    expect(html).toContain('r = −0.69')
    expect(tagWith(html, 'data-language="go"')).toContain('data-r=""')
  })

  it('says the checks are running, and when none applies', () => {
    expect(render({ summary: null })).toContain('Checking…')
    const none = render({
      summary: { rules: [], lengthCorrelation: [], lengthMeasure: null, ms: 0 },
    })
    expect(none).toContain('No check applies')
    expect(none).not.toContain('qa-length-correlation')
  })
})
