/**
 * Text that should never reach training: chat-template and special tokens leaked into an answer or
 * a prompt, and answers that repeat their prompt.
 */
import { codeLanguageSql } from '../../profile/languages'
import { UNIT_COLUMNS as U } from '../../profile/units'
import { duplicateSides } from '../context'
import type { QaRule } from './rule'
import { blank, lit, select } from './sql'

/**
 * Special tokens of the common chat templates and tokenizers (RE2): `<|begin_of_text|>`,
 * `<|im_start|>`, `<|endoftext|>`, `<|eot_id|>` and every `<|word|>`; Llama 2's `[INST]`,
 * `[/INST]`, `<<SYS>>`; `</s>`; Gemma's `<start_of_turn>`; DeepSeek's `<｜begin▁of▁sentence｜>`.
 * `<s>` alone is left out: it is also HTML's strike-through tag.
 */
export const TEMPLATE_TOKEN_PATTERN = [
  String.raw`<\|[A-Za-z][A-Za-z0-9_]{1,40}\|>`,
  String.raw`\[/?INST\]`,
  String.raw`<</?SYS>>`,
  String.raw`</s>`,
  String.raw`<(start|end)_of_turn>`,
  String.raw`<｜[^｜\n]{1,40}｜>`,
].join('|')

/** A prompt shorter than this (characters, trimmed) is not looked for in answers. */
export const MIN_ECHO_CHARS = 40

/** Characters of the prompt an echo must repeat (its start, trimmed). */
const ECHO_CHARS = 200

export const templateTokens: QaRule = {
  id: 'template-tokens',
  label: 'Leaked template tokens or echoed prompt',
  description: `Chat-template or special tokens (<|begin_of_text|>, <|im_start|>, <|endoftext|>, [INST], </s> and their families) are in an answer or the prompt, or an answer repeats its prompt (the first ${ECHO_CHARS} characters of a prompt of at least ${MIN_ECHO_CHARS}).`,
  category: 'code',
  severity: 'warning',
  plan(ctx) {
    const texts = [
      ...(ctx.profile.prompt ? [{ key: 'p', label: 'prompt', raw: U.prompt }] : []),
      ...duplicateSides(ctx),
    ]
    if (texts.length === 0) return null
    const pattern = lit(TEMPLATE_TOKEN_PATTERN)
    const prompt = `ltrim(${U.prompt})`
    // A prompt that is code (a signature and docstring to complete, KodCode's `_C` questions) is
    // meant to be repeated: only a prompt in words is an echo.
    const echoes = ctx.profile.prompt
      ? duplicateSides(ctx).map(
          (side) => `CASE WHEN length(${prompt}) >= ${MIN_ECHO_CHARS}
              AND contains(${side.raw}, left(${prompt}, ${ECHO_CHARS}))
              AND ${codeLanguageSql(`left(${prompt}, ${ECHO_CHARS})`)} IS NULL
            THEN concat(${lit(`${side.label} repeats the prompt: "`)}, left(regexp_replace(${prompt}, '\\s+', ' ', 'g'), 60), '…"') END`,
        )
      : []
    return {
      values: Object.fromEntries([
        ...texts.map((t): [string, string] => [
          `${t.key}_token`,
          `(CASE WHEN NOT ${blank(t.raw)} THEN nullif(regexp_extract(${t.raw}, ${pattern}, 0), '') END)`,
        ]),
        ['echo', echoes.length > 0 ? `coalesce(${echoes.join(', ')})` : 'NULL::VARCHAR'],
      ]),
      findings: (from) => [
        ...texts.map((t) =>
          select(
            from,
            `concat(${lit(`${t.label} holds the token `)}, ${t.key}_token)`,
            `${t.key}_token IS NOT NULL`,
          ),
        ),
        select(from, 'echo', 'echo IS NOT NULL'),
      ],
    }
  },
}
