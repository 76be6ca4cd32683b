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

/**
 * What breaks the layering: the domain reaching outside itself, storage reaching above the domain,
 * or an SDK outside its adapter folder.
 */
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
      if (file.path.startsWith('src/storage/')) {
        const target = path.posix.join(path.posix.dirname(file.path), specifier);
        const allowed = specifier.startsWith('.')
          ? target.startsWith('src/domain/') || target.startsWith('src/storage/')
          : STORAGE_PACKAGES.test(specifier);
        if (!allowed)
          found.push(`${file.path} imports ${specifier}: storage imports only the domain, itself, node:, SDKs`);
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

/** What storage may import besides src/domain and itself: node builtins and its SDKs. */
const STORAGE_PACKAGES = /^(node:|lowdb(\/|$)|@azure\/(data-tables|identity)$)/;

/** The files of src a file imports, by their path: `./x.js` is `x.ts`; packages are left out. */
function importGraph(files: readonly SourceFile[]): Map<string, string[]> {
  const known = new Set(files.map((f) => f.path));
  return new Map(
    files.map((file) => [
      file.path,
      specifiers(file)
        .filter((s) => s.startsWith('.'))
        .map((s) => path.posix.join(path.posix.dirname(file.path), s).replace(/\.js$/, '.ts'))
        .filter((target) => known.has(target)),
    ]),
  );
}

/** The folder a file counts in: `src/<folder>`, or `src/domain/<feature>`; a file directly in src counts alone. */
function folderOf(file: string): string {
  const parts = file.split('/');
  if (parts.length === 2) return file;
  return parts[1] === 'domain' && parts.length > 3 ? parts.slice(0, 3).join('/') : parts.slice(0, 2).join('/');
}

/** The graph of folders: one folder imports another when any of its files does. */
function folderGraph(graph: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const folders = new Map<string, Set<string>>();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, edges);
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges].sort()]));
}

/**
 * Each tangle of the graph (nodes that reach one another), named by the shortest cycle through
 * its first node, `a → b → a`, and the other nodes tangled with it.
 */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[] {
  const reaches = (from: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(graph.get(from) ?? [])];
    for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
      if (seen.has(node)) continue;
      seen.add(node);
      stack.push(...(graph.get(node) ?? []));
    }
    return seen;
  };
  const reach = new Map([...graph.keys()].map((node) => [node, reaches(node)]));
  const placed = new Set<string>();
  const found: string[] = [];
  for (const start of [...graph.keys()].sort()) {
    if (placed.has(start) || !reach.get(start)?.has(start)) continue;
    const tangle = [...graph.keys()].filter((n) => reach.get(start)?.has(n) && reach.get(n)?.has(start)).sort();
    tangle.forEach((node) => placed.add(node));
    const cycle = shortestCycle(graph, start, new Set(tangle));
    const others = tangle.filter((node) => !cycle.includes(node));
    found.push(cycle.join(' → ') + (others.length > 0 ? ` (tangled with ${others.join(', ')})` : ''));
  }
  return found;
}

/** A shortest path from start back to itself inside the tangle, breadth first. */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, start: string, tangle: Set<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const next of graph.get(node) ?? []) {
      if (!tangle.has(next)) continue;
      if (next === start) {
        const way: string[] = [];
        for (let back: string | undefined = node; back !== undefined && back !== start; back = previous.get(back))
          way.unshift(back);
        return [start, ...way, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
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
      file('src/domain/contact/bad.ts', "import type { Stores } from '../../storage/stores.js';"),
      file('src/domain/roster/bad.ts', "export { GraphClient } from '../../directory/graph.js';"),
      file('src/domain/course/bad.ts', "const csv = await import('csv-parse/sync');"),
      file('src/domain/bad.ts', "import { readFile } from 'fs/promises';"),
      file('src/cards/bad.ts', "import {\n  CardFactory,\n} from 'botbuilder';"),
      file('src/app.ts', "import type { Activity } from 'botframework-schema';\nimport restify from 'restify';"),
      file('src/storage/memory.ts', "import { Low } from 'lowdb';"),
      file('src/reports/bad.ts', "import { DefaultAzureCredential } from '@azure/identity';"),
      file('scripts/bad.ts', "import { JSONFilePreset } from 'lowdb/node';"),
      file('src/storage/bad.ts', "import type { ConversationRef } from '../teams/conversations.js';"),
      file('src/storage/azure/bad.ts', "import type { Log } from '../../log.js';\nimport { z } from 'zod';"),
    ];
    expect(violations(broken)).toEqual([
      'src/domain/contact/bad.ts imports ../../storage/stores.js: the domain imports only itself and node:',
      'src/domain/roster/bad.ts imports ../../directory/graph.js: the domain imports only itself and node:',
      'src/domain/course/bad.ts imports csv-parse/sync: the domain imports only itself and node:',
      'src/domain/bad.ts imports fs/promises: the domain imports only itself and node:',
      'src/cards/bad.ts imports botbuilder: botbuilder belongs in src/teams/',
      'src/app.ts imports botframework-schema: botbuilder belongs in src/teams/',
      'src/app.ts imports restify: restify belongs in src/http/',
      'src/storage/memory.ts imports lowdb: lowdb belongs in src/storage/lowdb/',
      'src/reports/bad.ts imports @azure/identity: Azure SDK belongs in src/storage/ or src/directory/',
      'scripts/bad.ts imports lowdb/node: lowdb belongs in src/storage/lowdb/',
      'src/storage/bad.ts imports ../teams/conversations.js: storage imports only the domain, itself, node:, SDKs',
      'src/storage/azure/bad.ts imports ../../log.js: storage imports only the domain, itself, node:, SDKs',
      'src/storage/azure/bad.ts imports zod: storage imports only the domain, itself, node:, SDKs',
    ]);
    const allowed = [
      file(
        'src/domain/contact/ok.ts',
        "import { randomInt } from 'node:crypto';\nimport type { Clock } from '../time/clock.js';\nexport " +
          "type { Ticket } from './tickets.js';",
      ),
      file('src/teams/ok.ts', "import { TeamsInfo } from 'botbuilder';"),
      file('src/directory/ok.ts', "import { DefaultAzureCredential } from '@azure/identity';"),
      file(
        'src/storage/azure/ok.ts',
        "import { TableClient } from '@azure/data-tables';\nimport type { Stores } from '../stores.js';\n" +
          "import type { Clock } from '../../domain/time/clock.js';\nimport { readFile } from 'node:fs/promises';",
      ),
    ];
    expect(violations(allowed)).toEqual([]);
  });
});

describe('the imports', () => {
  const graph = importGraph(sources('src'));

  it('go one way between the files of src: no file reaches itself again', () => {
    expect([...graph.values()].flat().length).toBeGreaterThan(300);
    expect(cycles(graph)).toEqual([]);
  });

  it('go one way between the folders of src and the feature folders of the domain', () => {
    expect(folderGraph(graph).size).toBeGreaterThan(15);
    expect(cycles(folderGraph(graph))).toEqual([]);
  });

  it('name each cycle they find, between files and between folders', () => {
    const file = (p: string, text: string): SourceFile => ({ path: p, text });
    const tangled = importGraph([
      file('src/teams/routeTable.ts', "import type { ParsedCommand } from './commands.js';"),
      file('src/teams/commands.ts', "import { ROUTES } from './routeTable.js';"),
      file('src/domain/a/one.ts', "import { two } from '../b/two.js';"),
      file('src/domain/b/two.ts', "export { three } from '../a/three.js';"),
      file('src/domain/a/three.ts', "const one = await import('./one.js');"),
      file('src/storage/stores.ts', "import { openStores } from './open.js';\nimport type { Log } from '../log.js';"),
      file('src/storage/open.ts', "import type { Stores } from './stores.js';"),
      file('src/log.ts', "import type { Stores } from './storage/stores.js';"),
      file('src/http/server.ts', "import { Clock } from '../domain/time/clock.js';\nimport 'restify';"),
    ]);
    expect(cycles(tangled)).toEqual([
      'src/domain/a/one.ts → src/domain/b/two.ts → src/domain/a/three.ts → src/domain/a/one.ts',
      'src/log.ts → src/storage/stores.ts → src/log.ts (tangled with src/storage/open.ts)',
      'src/teams/commands.ts → src/teams/routeTable.ts → src/teams/commands.ts',
    ]);
    expect(cycles(folderGraph(tangled))).toEqual([
      'src/domain/a → src/domain/b → src/domain/a',
      'src/log.ts → src/storage → src/log.ts',
    ]);
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
