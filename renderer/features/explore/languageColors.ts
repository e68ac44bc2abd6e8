/** One colour per language, the same in every chart; unknown languages share a grey. */
const PALETTE: Readonly<Record<string, string>> = {
  python: '#3b82f6',
  cpp: '#f59e0b',
  c: '#a16207',
  rust: '#ef4444',
  java: '#8b5cf6',
  go: '#06b6d4',
  javascript: '#eab308',
  typescript: '#2563eb',
  html: '#f97316',
  css: '#ec4899',
  sql: '#14b8a6',
  bash: '#84cc16',
  csharp: '#7c3aed',
  unknown: '#94a3b8',
}

const EXTRA = ['#10b981', '#e11d48', '#0ea5e9', '#d946ef', '#65a30d', '#b45309']

/** The colour of a language in charts and the facet. */
export function languageColor(language: string): string {
  const known = PALETTE[language]
  if (known) return known
  let hash = 0
  for (const char of language) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return EXTRA[hash % EXTRA.length]!
}
