import type { DeliveryTallies, SavedTallies } from '../campaigns/deliveryTallies.js';
import type { ItemTally } from '../items/itemSums.js';
import type { StringPool } from '../stringPool.js';
import { savedColumn, type Column, type FiguresState } from './figuresState.js';
import type { MemberOrder, OrderList } from './memberOrder.js';
import type { Members } from './members.js';
import type { People } from './people.js';

/** What figures keep besides the group counts, which are worked out again from these. */
export interface FiguresParts {
  readonly members: Members;
  readonly people: People;
  readonly pool: StringPool;
  /** Choices picked first by progress records keyed by an id that is not lower-case. */
  readonly otherChoices: Map<string, Uint8Array>;
  readonly deliveries: DeliveryTallies;
  readonly items: ItemTally;
  readonly order: MemberOrder;
}

/** The item sums' columns, saved as they are: their float sums would differ in the last bits if added again. */
const ITEM_SUMS = ['answerers', 'right', 'picks', 'n', 'x', 'y', 'xy', 'yy'] as const;

/** What savedOf() keeps besides columns. */
interface SavedFields {
  readonly keys: readonly string[];
  readonly names: readonly string[];
  readonly people: ReturnType<People['saved']>['fields'];
  readonly pool: readonly string[];
  readonly otherChoices: readonly (readonly [string, number[]])[];
  readonly deliveries: SavedTallies;
  readonly today: string | null;
  readonly lists: readonly OrderList[];
}

/** The parts as a state: each slot's columns, the order's lists, the item sums, the rest as fields. */
export function savedOf(parts: FiguresParts): FiguresState {
  const people = parts.people.saved();
  const order = parts.order.saved();
  const { sums } = parts.items;
  const columns: Record<string, Column> = {};
  for (const [name, c] of Object.entries(parts.members.columns())) columns[`members.${name}`] = c;
  for (const [name, c] of Object.entries(people.columns)) columns[`people.${name}`] = c;
  for (const name of ITEM_SUMS) columns[`items.${name}`] = sums[name].slice();
  for (const [name, list] of order.lists) columns[`order.${name}`] = list;
  const fields: SavedFields = {
    keys: parts.members.keys,
    names: parts.members.names,
    people: people.fields,
    pool: parts.pool.saved(),
    otherChoices: [...parts.otherChoices].map(([id, c]) => [id, Array.from(c)]),
    deliveries: parts.deliveries.saved(),
    today: order.today,
    lists: order.lists.map(([name]) => name),
  };
  return { fields: { ...fields }, columns };
}

/** Fills parts that hold nothing yet with what savedOf() gave; throws on a state they cannot hold. */
export function restoreParts(parts: FiguresParts, state: FiguresState): void {
  const fields = state.fields as unknown as SavedFields;
  const { columns } = state;
  const under = (prefix: string) =>
    Object.fromEntries(
      Object.entries(columns)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, c]) => [name.slice(prefix.length), c]),
    );
  parts.pool.restore(fields.pool);
  parts.members.restore(fields.keys, fields.names, under('members.'));
  parts.people.restore(fields.people, under('people.'));
  for (const [id, choices] of fields.otherChoices) parts.otherChoices.set(id, Uint8Array.from(choices));
  parts.deliveries.restore(fields.deliveries);
  const { sums } = parts.items;
  for (const name of ITEM_SUMS) {
    const sum: Column = sums[name];
    sum.set(savedColumn(columns, `items.${name}`, sum, sum.length));
  }
  const list = (name: OrderList) => {
    const saved = columns[`order.${name}`];
    return [name, savedColumn(columns, `order.${name}`, new Int32Array(), saved?.length ?? -1)] as const;
  };
  parts.order.restore(fields.today, fields.lists.map(list));
}
