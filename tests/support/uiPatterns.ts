import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/config.js';

/** The texts of ui.json in `language` as patterns, by key: placeholders match anything. */
export async function uiPatterns(language: 'en' | 'nl'): Promise<(key: string) => RegExp> {
  const file = path.join(PROJECT_ROOT, 'content', language, 'ui.json');
  const ui = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  return (key) => {
    const text = ui[key];
    if (text === undefined) throw new Error(`no text ${key}`);
    const parts = text.split(/\{[^{}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    return new RegExp(parts.join('[\\s\\S]*'));
  };
}
