/** The one invoke the bot answers: an Adaptive Card Action.Execute. */
const CARD_ACTION_INVOKE = 'adaptiveCard/action';

/** Longest id (user, conversation, tenant) accepted; Teams' own are well under 200 characters. */
const MAX_ID_LENGTH = 1024;

type Fields = Record<string, unknown>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
/** JSON null counts as absent, as the Bot Framework schema leaves optional fields out. */
const absent = (v: unknown) => v === undefined || v === null;
const isId = (v: unknown) => typeof v === 'string' && v !== '' && v.length <= MAX_ID_LENGTH;

/** A problem with `field` as a short sentence, or undefined. */
type Check = (value: unknown, field: string) => string | undefined;

const optional =
  (check: Check): Check =>
  (value, field) =>
    absent(value) ? undefined : check(value, field);

const text: Check = (v, field) => (typeof v === 'string' ? undefined : `${field} must be a string`);
const id: Check = (v, field) =>
  isId(v) ? undefined : `${field} must be a non-empty string of at most ${MAX_ID_LENGTH} characters`;

const object =
  (fields: Record<string, Check> = {}): Check =>
  (v, field) => {
    if (!isObject(v)) return `${field} must be an object`;
    for (const [name, check] of Object.entries(fields)) {
      const problem = check(v[name], `${field}.${name}`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

const listOf =
  (fields: Record<string, Check>): Check =>
  (v, field) => {
    if (!Array.isArray(v)) return `${field} must be a list`;
    for (const [index, item] of v.entries()) {
      const problem = object(fields)(item, `${field}[${index}]`);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };

const withId = { id: optional(id) };

/** Every field the bot reads, with the type it must have when present. */
const ACTIVITY: Record<string, Check> = {
  id: optional(text),
  channelId: optional(text),
  name: optional(text),
  action: optional(text),
  text: optional(text),
  locale: optional(text),
  from: object({ id, name: optional(text), aadObjectId: optional(id), role: optional(text) }),
  recipient: optional(object({ id: optional(id) })),
  conversation: object({ id, conversationType: optional(text), tenantId: optional(id) }),
  attachments: optional(listOf({ contentType: text, name: optional(text) })),
  entities: optional(listOf({ type: text })),
  membersAdded: optional(listOf({ id })),
  membersRemoved: optional(listOf({ id })),
  channelData: optional(
    object({
      tenant: optional(object(withId)),
      team: optional(object(withId)),
      channel: optional(object(withId)),
      eventType: optional(text),
    }),
  ),
};

/** value of an adaptiveCard/action invoke: the button's verb and data. */
const CARD_ACTION = object({
  action: object({
    type: (v, field) => (v === 'Action.Execute' ? undefined : `${field} must be Action.Execute`),
    verb: text,
    data: optional(object()),
  }),
});

/**
 * Why a request body is not an activity the bot can answer (a short sentence for a 400), or
 * undefined when every field the bot reads has the type it expects.
 */
export function activityProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON activity';
  if (typeof body.type !== 'string' || body.type === '') return 'the activity has no type';
  if (!isObject(body.from) || absent(body.from.id)) return 'the activity has no from.id';
  if (!isObject(body.conversation) || absent(body.conversation.id)) return 'the activity has no conversation.id';
  if (typeof body.serviceUrl !== 'string' || !/^https?:\/\//.test(body.serviceUrl))
    return 'the activity has no http(s) serviceUrl';
  for (const [name, check] of Object.entries(ACTIVITY)) {
    const problem = check(body[name], name);
    if (problem !== undefined) return problem;
  }
  if (body.type === 'invoke') {
    if (body.name !== CARD_ACTION_INVOKE) return `the bot answers only ${CARD_ACTION_INVOKE} invokes`;
    return CARD_ACTION(body.value, 'value');
  }
  return undefined;
}
