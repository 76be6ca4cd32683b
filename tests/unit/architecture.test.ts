import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

interface SourceFile {
  /** Relative to the project, with forward slashes: `src/domain/access.ts`. */
  readonly path: string;
  readonly text: string;
}

/** Each SDK, and the only folders that may import it. */
const ADAPTERS: readonly { readonly sdk: string; readonly matches: RegExp; readonly folders: readonly string[] }[] = [
  { sdk: 'botbuilder', matches: /^(botbuilder|botframework-)/, folders: ['src/teams/'] },
  { sdk: 'restify', matches: /^restify(\/|$)/, folders: ['src/http/'] },
  { sdk: 'lowdb', matches: /^lowdb(\/|$)/, folders: ['src/storage/lowdb/'] },
  { sdk: 'Azure SDK', matches: /^@azure\//, folders: ['src/storage/', 'src/directory/'] },
];

/** Every module specifier of an import, export-from, import-equals or dynamic import in the file. */
function specifiers(file: SourceFile): string[] {
  return ts.preProcessFile(file.text, true, true).importedFiles.map((f) => f.fileName);
}

/** What breaks the layering: the domain reaching outside itself, or an SDK outside its adapter folder. */
function violations(files: readonly SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    for (const specifier of specifiers(file)) {
      if (file.path.startsWith('src/domain/')) {
        const inside =
          specifier.startsWith('.') &&
          path.posix.join(path.posix.dirname(file.path), specifier).startsWith('src/domain/');
        if (!inside && !specifier.startsWith('node:'))
          found.push(`${file.path} imports ${specifier}: the domain imports only itself and node:`);
      }
      for (const adapter of ADAPTERS) {
        if (adapter.matches.test(specifier) && !adapter.folders.some((folder) => file.path.startsWith(folder))) {
          found.push(`${file.path} imports ${specifier}: ${adapter.sdk} belongs in ${adapter.folders.join(' or ')}`);
        }
      }
    }
  }
  return found;
}

function sources(folder: string): SourceFile[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const full = path.join(entry.parentPath, entry.name);
      return { path: path.relative(ROOT, full).split(path.sep).join('/'), text: readFileSync(full, 'utf8') };
    });
}

describe('the layering', () => {
  it('holds in every file of src and scripts: the domain imports only itself, each SDK stays in its adapter folder', () => {
    const files = [...sources('src'), ...sources('scripts')];
    expect(files.filter((f) => f.path.startsWith('src/domain/')).length).toBeGreaterThan(20);
    expect(violations(files)).toEqual([]);
  });

  it('is broken by each kind of import it forbids, however the import is written', () => {
    const file = (p: string, text: string): SourceFile => ({ path: p, text });
    const broken = [
      file('src/domain/questions/bad.ts', "import type { Stores } from '../../storage/stores.js';"),
      file('src/domain/roster/bad.ts', "export { GraphClient } from '../../directory/graph.js';"),
      file('src/domain/course/bad.ts', "const csv = await import('csv-parse/sync');"),
      file('src/domain/bad.ts', "import { readFile } from 'fs/promises';"),
      file('src/cards/bad.ts', "import {\n  CardFactory,\n} from 'botbuilder';"),
      file('src/app.ts', "import type { Activity } from 'botframework-schema';\nimport restify from 'restify';"),
      file('src/storage/memory.ts', "import { Low } from 'lowdb';"),
      file('src/reports/bad.ts', "import { DefaultAzureCredential } from '@azure/identity';"),
      file('scripts/bad.ts', "import { JSONFilePreset } from 'lowdb/node';"),
    ];
    expect(violations(broken)).toEqual([
      'src/domain/questions/bad.ts imports ../../storage/stores.js: the domain imports only itself and node:',
      'src/domain/roster/bad.ts imports ../../directory/graph.js: the domain imports only itself and node:',
      'src/domain/course/bad.ts imports csv-parse/sync: the domain imports only itself and node:',
      'src/domain/bad.ts imports fs/promises: the domain imports only itself and node:',
      'src/cards/bad.ts imports botbuilder: botbuilder belongs in src/teams/',
      'src/app.ts imports botframework-schema: botbuilder belongs in src/teams/',
      'src/app.ts imports restify: restify belongs in src/http/',
      'src/storage/memory.ts imports lowdb: lowdb belongs in src/storage/lowdb/',
      'src/reports/bad.ts imports @azure/identity: Azure SDK belongs in src/storage/ or src/directory/',
      'scripts/bad.ts imports lowdb/node: lowdb belongs in src/storage/lowdb/',
    ]);
    const allowed = [
      file(
        'src/domain/questions/ok.ts',
        "import { randomInt } from 'node:crypto';\nimport type { Clock } from '../time/clock.js';\nexport type { Ticket } from './tickets.js';",
      ),
      file('src/teams/ok.ts', "import { TeamsInfo } from 'botbuilder';"),
      file('src/directory/ok.ts', "import { DefaultAzureCredential } from '@azure/identity';"),
    ];
    expect(violations(allowed)).toEqual([]);
  });
});

describe('the files', () => {
  it('stay small enough to read in one go: no file in src over 300 lines', () => {
    const long = sources('src')
      .map((f) => ({ path: f.path, lines: f.text.split('\n').length - (f.text.endsWith('\n') ? 1 : 0) }))
      .filter((f) => f.lines > 300)
      .map((f) => `${f.path}: ${f.lines} lines`);
    expect(long).toEqual([]);
  });
});
