import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import { expect } from 'vitest';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };

/** Teams' limit for one bot message. */
export const TEAMS_MESSAGE_LIMIT = 40 * 1024;

const SCHEMA_FILE = path.resolve(
  fileURLToPath(new URL('.', import.meta.url)),
  '../fixtures/schemas/adaptive-card-1.5.0.json',
);

const CHART_TYPES = [
  'Chart.Donut',
  'Chart.Pie',
  'Chart.VerticalBar',
  'Chart.VerticalBar.Grouped',
  'Chart.HorizontalBar',
  'Chart.HorizontalBar.Stacked',
  'Chart.Line',
  'Chart.Gauge',
];

let validator: ValidateFunction | undefined;

/**
 * The official Adaptive Cards 1.5 schema, copied at test time and widened for what Teams adds:
 * the top-level `msteams` property and the `Chart.*` elements (origin and licence: tests/fixtures/schemas/README.md).
 */
function schemaValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = JSON.parse(readFileSync(SCHEMA_FILE, 'utf8'));
  // Draft-06 names the schema's own URI `$id`; this file still uses the older `id`.
  schema.$id = schema.id;
  delete schema.id;
  schema.definitions.AdaptiveCard.properties.msteams = { type: 'object' };
  schema.definitions['ImplementationsOf.Element'].anyOf.push(
    ...CHART_TYPES.map((type) => ({ required: ['type'], properties: { type: { enum: [type] } } })),
  );
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addMetaSchema(draft06);
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  ajv.addFormat('uri-reference', (value: string) => !/\s/.test(value));
  validator = ajv.compile(schema);
  return validator;
}

/** Problems that would stop the card rendering well in Teams; empty when there are none. */
export function cardProblems(card: unknown): string[] {
  const validate = schemaValidator();
  const problems: string[] = [];
  if (!validate(card)) {
    problems.push(
      ...(validate.errors ?? []).slice(0, 10).map((e) => `schema: ${e.instancePath || '/'} ${e.message ?? ''}`),
    );
  }
  walk(card, (node, where) => {
    const type = node.type;
    if (
      typeof type === 'string' &&
      type.startsWith('Input.') &&
      (typeof node.label !== 'string' || node.label.trim() === '')
    ) {
      problems.push(`${where}: ${type} has no label`);
    }
    if (type === 'Image' && (typeof node.altText !== 'string' || node.altText.trim() === '')) {
      problems.push(`${where}: Image has no altText`);
    }
    if (type === 'TextBlock' && typeof node.text === 'string' && /\$\{/.test(node.text)) {
      problems.push(`${where}: unexpanded template text ${node.text}`);
    }
  });
  const size = Buffer.byteLength(JSON.stringify(card));
  if (size > TEAMS_MESSAGE_LIMIT) problems.push(`card is ${size} bytes, over Teams' ${TEAMS_MESSAGE_LIMIT}`);
  return problems;
}

function walk(node: unknown, visit: (node: Record<string, unknown>, where: string) => void, where = '$'): void {
  if (Array.isArray(node)) {
    node.forEach((child, i) => walk(child, visit, `${where}[${i}]`));
  } else if (typeof node === 'object' && node !== null) {
    visit(node as Record<string, unknown>, where);
    for (const [key, child] of Object.entries(node)) walk(child, visit, `${where}.${key}`);
  }
}

/** Asserts that every card in a bot reply (and an invoke's card body) passes cardProblems; returns the reply. */
export function validCards<R extends { cards: readonly unknown[]; body?: { type?: string; value?: unknown } }>(
  result: R,
): R {
  for (const card of result.cards) expect(cardProblems(card)).toEqual([]);
  if (result.body?.type === 'application/vnd.microsoft.card.adaptive')
    expect(cardProblems(result.body.value)).toEqual([]);
  return result;
}
